package org.onnx2trt.recipe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed YAML value that remembers where it was written, for errors that point at the text. */
public sealed interface YamlNode {
    /** 1-based line and column of the value's first character. */
    record Place(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    Place place();

    /** What the value is, for messages: "a map", "a list", "the text `abc`". */
    String describe();

    /** A mapping; keys keep their order and their own places. */
    record MapNode(Map<String, Entry> entries, Place place) implements YamlNode {
        public MapNode {
            entries = new LinkedHashMap<>(entries);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    /** One key of a mapping and its value. */
    record Entry(String key, Place keyPlace, YamlNode value) {}

    record ListNode(List<YamlNode> items, Place place) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar as written (a YAML null is the text "null"); the loader gives it a type. */
    record Scalar(String text, Place place) implements YamlNode {
        @Override
        public String describe() {
            return "`" + text + "`";
        }
    }
}
