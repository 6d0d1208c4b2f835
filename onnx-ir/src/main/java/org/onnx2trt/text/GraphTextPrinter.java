package org.onnx2trt.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Writes a model in the graph text form: one node a line in the graph's order, initializers of up
 * to {@value #LITERAL_LIMIT} elements as their values, larger ones as {@code zeros}, {@code ones} or
 * {@code random} (with a comment giving the shape and a hash of the data, so that two prints show
 * whether the data is the same). The output is stable: the same model prints the same text.
 */
final class GraphTextPrinter {
    /** Tensors of at most this many elements are written as their values. */
    static final int LITERAL_LIMIT = 16;

    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");
    /** An op type: an identifier without dots; after a domain, any segment the lexer reads. */
    private static final Pattern OP = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DOMAIN_OP = Pattern.compile("[A-Za-z0-9_]+");

    private final StringBuilder out = new StringBuilder();

    private GraphTextPrinter() {}

    static String print(Model model) {
        GraphTextPrinter p = new GraphTextPrinter();
        p.header(model);
        p.graph(model.graph(), "");
        return p.out.append('\n').toString();
    }

    private void header(Model m) {
        List<String> entries = new ArrayList<>();
        entries.add("ir_version: " + m.irVersion());
        List<String> opsets = new ArrayList<>();
        for (Map.Entry<String, Long> e : m.opsets().entrySet()) {
            opsets.add(quote(e.getKey()) + " : " + e.getValue());
        }
        entries.add("opset_import: [" + String.join(", ", opsets) + "]");
        if (!m.producerName().isEmpty()) {
            entries.add("producer_name: " + quote(m.producerName()));
        }
        if (!m.producerVersion().isEmpty()) {
            entries.add("producer_version: " + quote(m.producerVersion()));
        }
        if (!m.domain().isEmpty()) {
            entries.add("domain: " + quote(m.domain()));
        }
        if (m.modelVersion() != 0) {
            entries.add("model_version: " + m.modelVersion());
        }
        if (!m.docString().isEmpty()) {
            entries.add("doc_string: " + quote(m.docString()));
        }
        out.append('<').append(String.join(", ", entries)).append(">\n");
    }

    /** The graph from its name to its closing brace; lines after the first start with {@code indent}. */
    private void graph(Graph g, String indent) {
        out.append(name(g.name() == null ? "" : g.name())).append(" (");
        List<String> inputs = new ArrayList<>();
        for (Port p : g.inputs()) {
            Value v = p.value();
            TypeProto declared = p.declaration().hasType() ? p.declaration().getType() : null;
            if (v.isInitializer()) {
                TypeProto type = declared != null ? declared : Types.ofTensor(v.initializer());
                inputs.add(type(type) + " " + name(v.name()) + " = " + data(v.initializer()));
            } else {
                inputs.add(declared == null ? name(v.name()) : type(declared) + " " + name(v.name()));
            }
        }
        out.append(String.join(", ", inputs)).append(") => (");
        List<String> outputs = new ArrayList<>();
        for (Port p : g.outputs()) {
            String n = name(p.name());
            outputs.add(p.declaration().hasType() ? type(p.declaration().getType()) + " " + n : n);
        }
        out.append(String.join(", ", outputs)).append(")\n");

        List<Value> initializers = g.initializers().stream().filter(v -> !v.isGraphInput()).toList();
        if (!initializers.isEmpty()) {
            out.append(indent).append("<\n");
            for (int i = 0; i < initializers.size(); i++) {
                Tensor t = initializers.get(i).initializer();
                String data = data(t);
                out.append(indent).append("  ").append(type(Types.ofTensor(t))).append(' ')
                        .append(name(initializers.get(i).name())).append(" = ").append(data);
                if (i + 1 < initializers.size()) {
                    out.append(',');
                }
                if (data.equals("random")) {
                    out.append("  # ").append(shapeComment(t)).append(", sha256 ").append(TensorLiterals.hash(t));
                }
                out.append('\n');
            }
            out.append(indent).append(">\n");
        }
        out.append(indent).append("{\n");
        for (Node n : g.nodes()) {
            out.append(indent).append("  ");
            node(n, indent + "  ");
            out.append('\n');
        }
        out.append(indent).append('}');
    }

    private void node(Node n, String indent) {
        if (!n.name().isEmpty()) {
            out.append('[').append(name(n.name())).append("] ");
        }
        if (n.outputs().stream().allMatch(v -> v == null)) {
            throw new IllegalArgumentException("node " + n.describe() + " has no outputs, which graph text cannot write");
        }
        out.append(values(n.outputs())).append(" = ").append(op(n));
        Map<String, Attribute> attributes = n.attributes();
        if (!attributes.isEmpty()) {
            boolean multiline = attributes.values().stream().anyMatch(a -> !a.graphs().isEmpty());
            out.append(multiline ? " <\n" : " <");
            int i = 0;
            for (Attribute a : attributes.values()) {
                if (multiline) {
                    out.append(indent).append("  ");
                }
                attribute(a, indent + "  ");
                if (++i < attributes.size()) {
                    out.append(multiline ? ",\n" : ", ");
                }
            }
            out.append(multiline ? "\n" + indent + ">" : ">");
        }
        out.append(" (").append(values(n.inputs())).append(')');
    }

    private static String values(List<Value> values) {
        List<String> names = new ArrayList<>();
        for (Value v : values) {
            names.add(v == null ? "" : name(v.name()));
        }
        return String.join(", ", names);
    }

    /** {@code Conv}, or {@code com.microsoft.FusedConv} for an op of another domain. */
    static String op(Node n) {
        String opType = n.opType();
        String domain = n.domain();
        boolean writable = domain.isEmpty() ? OP.matcher(opType).matches()
                : IDENT.matcher(domain).matches() && DOMAIN_OP.matcher(opType).matches();
        if (!writable) {
            throw new IllegalArgumentException("op `" + opType + "` of domain `" + domain
                    + "` cannot be written in graph text, which writes ops as `domain.Op`");
        }
        return domain.isEmpty() ? opType : domain + "." + opType;
    }

    private void attribute(Attribute a, String indent) {
        AttributeProto p = a.proto();
        out.append(a.name());
        if (!a.graphs().isEmpty()) {
            if (a.graphs().size() != 1) {
                throw new IllegalArgumentException("attribute `" + a.name() + "` holds several graphs,"
                        + " which graph text cannot write");
            }
            out.append(" = ");
            graph(a.graphs().get(0), indent);
            return;
        }
        boolean emptyList = switch (a.type()) {
            case INTS -> p.getIntsCount() == 0;
            case FLOATS -> p.getFloatsCount() == 0;
            case STRINGS -> p.getStringsCount() == 0;
            default -> false;
        };
        if (emptyList) {
            out.append(": ").append(a.type().name().toLowerCase());
        }
        out.append(" = ").append(attributeValue(a));
    }

    /** The text of a plain attribute's value, as written after {@code =}. */
    static String attributeValue(Attribute a) {
        AttributeProto p = a.proto();
        return switch (a.type()) {
            case INT -> Long.toString(p.getI());
            case FLOAT -> TensorLiterals.formatFloat(p.getF());
            case STRING -> quote(p.getS().toStringUtf8());
            case INTS -> "[" + String.join(",", p.getIntsList().stream().map(String::valueOf).toList()) + "]";
            case FLOATS -> "[" + String.join(",", p.getFloatsList().stream().map(TensorLiterals::formatFloat).toList()) + "]";
            case STRINGS -> "[" + String.join(", ", p.getStringsList().stream().map(s -> quote(s.toStringUtf8())).toList()) + "]";
            case TENSOR -> tensorValue(p.getT());
            default -> throw new IllegalArgumentException("attribute `" + a.name() + "` of type "
                    + a.type().name().toLowerCase() + " cannot be written in graph text");
        };
    }

    /** A tensor attribute's value: {@code float[2] {1.0, 2.0}}. */
    static String tensorValue(TensorProto proto) {
        Tensor t = Tensor.fromProto(proto);
        return type(Types.ofTensor(t)) + " " + data(t);
    }

    /** The data of a tensor: values, {@code zeros}, {@code ones}, or {@code random} when none fits. */
    private static String data(Tensor t) {
        String unsupported = TensorLiterals.unsupported(t.dataType(), false);
        if (unsupported != null || TensorLiterals.nameOf(t.dataTypeCode()) == null) {
            throw new IllegalArgumentException("tensor `" + t.name() + "`: "
                    + (unsupported != null ? unsupported : "its dtype code " + t.dataTypeCode() + " has no name"));
        }
        String text = TensorLiterals.dataText(t, LITERAL_LIMIT);
        return text != null ? text : "random";
    }

    private static String shapeComment(Tensor t) {
        long[] dims = t.dims();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; dims.length > 1 && i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.append(dims.length > 1 ? " = " : "").append(t.elementCount()).append(" values").toString();
    }

    /** A type: {@code float[N,3,?]}, {@code float} (unknown rank), {@code seq(float[2])}. */
    static String type(TypeProto t) {
        switch (t.getValueCase()) {
            case TENSOR_TYPE -> {
                TypeProto.Tensor tt = t.getTensorType();
                String dtype = TensorLiterals.nameOf(tt.getElemType());
                if (dtype == null) {
                    throw new IllegalArgumentException("element type " + tt.getElemType()
                            + " cannot be written in graph text");
                }
                if (!tt.hasShape()) {
                    return dtype;
                }
                List<String> dims = new ArrayList<>();
                for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                    if (d.hasDimValue() && d.getDimValue() < 0) {
                        throw new IllegalArgumentException("negative dimension " + d.getDimValue()
                                + " cannot be written in graph text");
                    }
                    dims.add(d.hasDimValue() ? Long.toString(d.getDimValue())
                            : d.hasDimParam() && !d.getDimParam().isEmpty() ? name(d.getDimParam()) : "?");
                }
                return dtype + "[" + String.join(",", dims) + "]";
            }
            case SEQUENCE_TYPE -> {
                return "seq(" + type(t.getSequenceType().getElemType()) + ")";
            }
            case OPTIONAL_TYPE -> {
                return "optional(" + type(t.getOptionalType().getElemType()) + ")";
            }
            default -> throw new IllegalArgumentException("type " + Types.describe(t) + " cannot be written in graph text");
        }
    }

    /** A name as the text writes it: bare when it is an identifier, else quoted. */
    static String name(String name) {
        return IDENT.matcher(name).matches() ? name : quote(name);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
