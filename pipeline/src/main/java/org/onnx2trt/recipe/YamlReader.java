package org.onnx2trt.recipe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into {@link YamlNode}s with their line and column, through Jackson's streaming
 * YAML parser (a bound object would forget where each value was). Duplicate keys are errors. An alias
 * ({@code *name}) stands for the value its anchor ({@code &name}) marked earlier in the document.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;
    private final JsonParser parser;
    private final Map<String, YamlNode> anchors = new java.util.HashMap<>();

    private YamlReader(String source, JsonParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /** The document's root value. */
    static YamlNode read(String text, String source) throws RecipeException {
        try (JsonParser p = FACTORY.createParser(text)) {
            YamlReader r = new YamlReader(source, p);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new RecipeException(source + ": the file is empty; a recipe starts with `stages:`");
            }
            return r.value(first);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new RecipeException(where + ": error: not valid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new RecipeException(source + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The YAML parser's message on one line: its sentences ("while parsing a flow sequence", "expected ','
     * or ']', but got <stream end>") without the quoted source lines and carets it adds under each.
     */
    private static String oneLine(String message) {
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }

    private YamlNode value(JsonToken t) throws IOException, RecipeException {
        YamlNode.Place place = place(parser.currentTokenLocation());
        if (parser instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml && yaml.isCurrentAlias()) {
            YamlNode target = anchors.get(parser.getText());
            if (target == null) {
                throw new RecipeException(source + ":" + place + ": error: the alias `*" + parser.getText() + "` names no anchor"
                        + " before it; mark the value first with `&" + parser.getText() + "`");
            }
            return target;
        }
        Object anchor = parser.getObjectId();
        YamlNode node = node(t, place);
        if (anchor != null) {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private YamlNode node(JsonToken t, YamlNode.Place place) throws IOException, RecipeException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                for (JsonToken k = parser.nextToken(); k != JsonToken.END_OBJECT; k = parser.nextToken()) {
                    String key = parser.currentName();
                    YamlNode.Place keyPlace = place(parser.currentTokenLocation());
                    YamlNode v = value(parser.nextToken());
                    if (entries.containsKey(key)) {
                        throw new RecipeException(source + ":" + keyPlace + ": error: `" + key + "` is given twice (first at "
                                + entries.get(key).keyPlace() + ")");
                    }
                    entries.put(key, new YamlNode.Entry(key, keyPlace, v));
                }
                return new YamlNode.MapNode(entries, place);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                for (JsonToken i = parser.nextToken(); i != JsonToken.END_ARRAY; i = parser.nextToken()) {
                    items.add(value(i));
                }
                return new YamlNode.ListNode(items, place);
            }
            default -> {
                String text = t == JsonToken.VALUE_NULL ? "null" : parser.getText();
                return new YamlNode.Scalar(text, place);
            }
        }
    }

    private static YamlNode.Place place(JsonLocation at) {
        return new YamlNode.Place(at.getLineNr(), at.getColumnNr());
    }
}
