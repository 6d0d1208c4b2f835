package org.onnx2trt.dsl.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * Reads the line format documented at the top of {@code onnx-ops.schema}. One pass, one line
 * at a time; every error names the line it is on.
 */
final class SchemaParser {

    /** A parsed revision and the line its header is on. */
    record Located(OpSchema schema, int line) {
    }

    private final String source;
    private final List<Located> result = new ArrayList<>();
    private String domain = "";
    private Block block;
    private int lineNo;

    private SchemaParser(String source) {
        this.source = source;
    }

    static List<Located> parse(Reader reader, String sourceName) {
        SchemaParser parser = new SchemaParser(sourceName);
        try (BufferedReader lines = new BufferedReader(reader)) {
            String line;
            while ((line = lines.readLine()) != null) {
                parser.lineNo++;
                parser.line(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sourceName, e);
        }
        parser.finish();
        return parser.result;
    }

    private void line(String text) {
        List<String> tokens = tokenize(text);
        if (tokens.isEmpty()) {
            return;
        }
        String keyword = tokens.get(0);
        switch (keyword) {
            case "domain" -> domainLine(tokens);
            case "op" -> opLine(tokens);
            case "in", "out" -> paramLine(keyword, tokens);
            case "attr" -> attrLine(tokens);
            default -> throw error("expected `op`, `in`, `out`, `attr` or `domain`, found `" + keyword + "`");
        }
    }

    private void domainLine(List<String> tokens) {
        if (tokens.size() != 2 || !isWord(tokens.get(1))) {
            throw error("expected `domain NAME`");
        }
        finish();
        domain = OpSchemas.normalizeDomain(tokens.get(1));
    }

    private void opLine(List<String> tokens) {
        finish();
        String usage = "expected `op NAME since VERSION[, VERSION...] [deprecated]`";
        if (tokens.size() < 4 || !isWord(tokens.get(1)) || !tokens.get(2).equals("since")) {
            throw error(usage);
        }
        List<Integer> versions = new ArrayList<>();
        int i = 3;
        while (true) {
            String v = tokens.get(i);
            int version;
            try {
                version = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw error("since-version `" + v + "` is not a number");
            }
            if (version < 1) {
                throw error("since-version must be positive, got " + version);
            }
            if (!versions.isEmpty() && version <= versions.get(versions.size() - 1)) {
                throw error("since-versions must increase, but " + version + " follows "
                        + versions.get(versions.size() - 1));
            }
            versions.add(version);
            i++;
            if (i < tokens.size() && tokens.get(i).equals(",")) {
                i++;
                if (i == tokens.size()) {
                    throw error("expected a version after `,`");
                }
                continue;
            }
            break;
        }
        boolean deprecated = false;
        if (i < tokens.size() && tokens.get(i).equals("deprecated")) {
            deprecated = true;
            i++;
        }
        if (i != tokens.size()) {
            throw error("unexpected `" + tokens.get(i) + "` after the versions; " + usage);
        }
        block = new Block(tokens.get(1), versions, deprecated, lineNo);
    }

    private void paramLine(String keyword, List<String> tokens) {
        Block b = currentBlock(keyword);
        String what = keyword.equals("in") ? "input" : "output";
        if (tokens.size() < 2 || !isWord(tokens.get(1))) {
            throw error("expected `" + keyword + " NAME [optional] [variadic]`");
        }
        String name = tokens.get(1);
        boolean optional = false;
        boolean variadic = false;
        for (String marker : tokens.subList(2, tokens.size())) {
            switch (marker) {
                case "optional" -> optional = true;
                case "variadic" -> variadic = true;
                default -> throw error("unknown marker `" + marker + "` on " + what + " `" + name
                        + "`; expected `optional` or `variadic`");
            }
        }
        List<ParamSpec> params = keyword.equals("in") ? b.inputs : b.outputs;
        if (!params.isEmpty() && params.get(params.size() - 1).variadic()) {
            throw error(what + " `" + name + "` follows variadic " + what + " `"
                    + params.get(params.size() - 1).name() + "`; only the last " + what + " may be variadic");
        }
        for (ParamSpec p : params) {
            if (p.name().equals(name)) {
                throw error("duplicate " + what + " `" + name + "` in `" + b.name + "`");
            }
        }
        params.add(new ParamSpec(name, optional, variadic));
    }

    private void attrLine(List<String> tokens) {
        Block b = currentBlock("attr");
        String usage = "expected `attr NAME TYPE = DEFAULT`, `attr NAME TYPE optional` or `attr NAME TYPE required`";
        if (tokens.size() < 4 || !isWord(tokens.get(1)) || !isWord(tokens.get(2))) {
            throw error(usage);
        }
        String name = tokens.get(1);
        String typeName = tokens.get(2);
        AttributeKind kind = AttributeKind.fromSpelling(typeName).orElseThrow(() -> {
            List<String> close = Suggestions.ranked(typeName, AttributeKind.spellings());
            return error("unknown attribute type `" + typeName + "`"
                    + (close.isEmpty() ? "; expected one of " + String.join(", ", AttributeKind.spellings())
                                       : "; did you mean `" + close.get(0) + "`?"));
        });
        for (AttributeSpec a : b.attributes) {
            if (a.name().equals(name)) {
                throw error("duplicate attribute `" + name + "` in `" + b.name + "`");
            }
        }
        String mode = tokens.get(3);
        AttributeSpec spec;
        if (mode.equals("required") || mode.equals("optional")) {
            if (tokens.size() != 4) {
                throw error("unexpected `" + tokens.get(4) + "` after `" + mode + "`");
            }
            spec = new AttributeSpec(name, kind, null, mode.equals("required"));
        } else if (mode.equals("=")) {
            if (!kind.allowsDefault()) {
                throw error("attribute `" + name + "` of type " + kind + " cannot have a default");
            }
            if (tokens.size() == 4) {
                throw error("expected a default value after `=`");
            }
            spec = new AttributeSpec(name, kind, defaultValue(name, kind, tokens.subList(4, tokens.size())), false);
        } else {
            throw error(usage);
        }
        b.attributes.add(spec);
    }

    private Object defaultValue(String name, AttributeKind kind, List<String> tokens) {
        if (!kind.isList()) {
            if (tokens.size() != 1) {
                throw error("default of `" + name + "` must be a single " + kind + " value");
            }
            return scalar(name, kind, tokens.get(0));
        }
        if (!tokens.get(0).equals("[") || !tokens.get(tokens.size() - 1).equals("]")) {
            throw error("default of `" + name + "` must be a list like [1, 2], since its type is " + kind);
        }
        AttributeKind element = switch (kind) {
            case INTS -> AttributeKind.INT;
            case FLOATS -> AttributeKind.FLOAT;
            default -> AttributeKind.STRING;
        };
        List<Object> values = new ArrayList<>();
        List<String> inner = tokens.subList(1, tokens.size() - 1);
        for (int i = 0; i < inner.size(); i++) {
            if (i % 2 == 1) {
                if (!inner.get(i).equals(",")) {
                    throw error("expected `,` between list elements in the default of `" + name + "`");
                }
                continue;
            }
            values.add(scalar(name, element, inner.get(i)));
        }
        if (!inner.isEmpty() && inner.size() % 2 == 0) {
            throw error("trailing `,` in the default of `" + name + "`");
        }
        return List.copyOf(values);
    }

    private Object scalar(String name, AttributeKind kind, String token) {
        Function<String, OpSchemaParseException> bad = what ->
                error("default `" + token + "` of `" + name + "` is not " + what);
        switch (kind) {
            case INT -> {
                try {
                    return Long.parseLong(token);
                } catch (NumberFormatException e) {
                    throw bad.apply("an int");
                }
            }
            case FLOAT -> {
                if (!token.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw bad.apply("a float");
                }
                float value = Float.parseFloat(token);
                if (Float.isInfinite(value)) {
                    throw bad.apply("a finite float");
                }
                return value;
            }
            default -> {
                if (!token.startsWith("\"")) {
                    throw bad.apply("a string; write it in double quotes");
                }
                return unquote(token);
            }
        }
    }

    private Block currentBlock(String keyword) {
        if (block == null) {
            throw error("`" + keyword + "` outside an `op` block");
        }
        return block;
    }

    private void finish() {
        if (block == null) {
            return;
        }
        for (int version : block.versions) {
            OpSchema schema = new OpSchema(domain, block.name, version, block.inputs, block.outputs,
                    block.attributes, block.deprecated);
            result.add(new Located(schema, block.line));
        }
        block = null;
    }

    private OpSchemaParseException error(String message) {
        return new OpSchemaParseException(source, lineNo, message);
    }

    private static boolean isWord(String token) {
        return Character.isLetter(token.charAt(0)) || token.charAt(0) == '_';
    }

    /**
     * Splits a line into words, numbers, quoted strings and the punctuation {@code = , [ ]}.
     * A {@code #} outside a string starts a comment.
     */
    private List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '=' || c == ',' || c == '[' || c == ']') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int start = i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                if (i >= text.length()) {
                    throw error("unterminated string");
                }
                tokens.add(text.substring(start, ++i));
            } else if (isWordChar(c)) {
                int start = i;
                while (i < text.length() && isWordChar(text.charAt(i))) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else {
                throw error("unexpected character `" + c + "`");
            }
        }
        return tokens;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+';
    }

    private String unquote(String token) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c == '\\') {
                char next = token.charAt(++i);
                if (next != '"' && next != '\\') {
                    throw error("unknown escape `\\" + next + "` in " + token);
                }
                c = next;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The op block being read: its header, and the parameters and attributes seen so far. */
    private static final class Block {
        final String name;
        final List<Integer> versions;
        final boolean deprecated;
        final int line;
        final List<ParamSpec> inputs = new ArrayList<>();
        final List<ParamSpec> outputs = new ArrayList<>();
        final List<AttributeSpec> attributes = new ArrayList<>();

        Block(String name, List<Integer> versions, boolean deprecated, int line) {
            this.name = name;
            this.versions = versions;
            this.deprecated = deprecated;
            this.line = line;
        }
    }
}
