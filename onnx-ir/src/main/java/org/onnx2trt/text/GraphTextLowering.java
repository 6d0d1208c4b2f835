package org.onnx2trt.text;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ArgContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ArgsContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.AttributeContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.AttributeValueContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.DimContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.DimParamContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.DimValueContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.DocStringContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.GraphAttrContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.GraphContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.HeaderEntryContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.IdentNameContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.InitContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.InitializerContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.IrVersionContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ListAttrContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ListItemContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.LiteralContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.LiteralInitContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ModelContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ModelDomainContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ModelVersionContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.NameContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.NodeContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.NumberAttrContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.NumberContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.NumberItemContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.OnesInitContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.OpsetEntryContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.OpsetImportContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.OptionalTypeContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ParamContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.PresentArgContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ProducerNameContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.ProducerVersionContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.RandomNormalInitContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.RandomUniformInitContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.SequenceTypeContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.StringAttrContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.StringItemContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.TensorAttrContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.TensorTypeContext;
import org.onnx2trt.dsl.graphtext.GraphTextParser.TypeContext;
import org.onnx2trt.ir.TensorEncoder;
import org.onnx2trt.proto.Onnx.AttributeProto;
import org.onnx2trt.proto.Onnx.AttributeProto.AttributeType;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * The second stage: parse tree to {@code ModelProto}, checking what the grammar cannot: dtypes,
 * that values are defined once and before they are read, that literal data fits its type and shape,
 * and that op domains are imported. The first problem ends the lowering with a
 * {@link GraphTextException} at its place.
 */
final class GraphTextLowering {
    private static final Set<String> ATTRIBUTE_TYPES = Set.of("int", "float", "string", "tensor", "graph",
            "ints", "floats", "strings");

    private final String source;
    private final long seed;
    /** Domains used by nodes, with the first op naming each, to check against the opset imports. */
    private final Map<String, Token> usedDomains = new LinkedHashMap<>();

    GraphTextLowering(String source, long seed) {
        this.source = source;
        this.seed = seed;
    }

    ModelProto model(ModelContext ctx) {
        ModelProto.Builder m = ModelProto.newBuilder();
        Map<String, Token> seen = new HashMap<>();
        Map<String, Long> opsets = new LinkedHashMap<>();
        boolean irVersionGiven = false;
        if (ctx.header() != null) {
            for (HeaderEntryContext e : ctx.header().headerEntry()) {
                String key = e.getStart().getText();
                Token earlier = seen.putIfAbsent(key, e.getStart());
                if (earlier != null) {
                    throw error(e.getStart(), "`" + key + "` is given twice", earlier, "given first here");
                }
                if (e instanceof IrVersionContext v) {
                    m.setIrVersion(parseLong(v.INT()));
                    irVersionGiven = true;
                } else if (e instanceof OpsetImportContext o) {
                    for (OpsetEntryContext entry : o.opsetEntry()) {
                        String domain = unquote(entry.STRING().getSymbol());
                        if (opsets.containsKey(domain)) {
                            throw error(entry.getStart(), "domain `\"" + domain + "\"` is imported twice");
                        }
                        opsets.put(domain, parseLong(entry.INT()));
                    }
                } else if (e instanceof ProducerNameContext p) {
                    m.setProducerName(unquote(p.STRING().getSymbol()));
                } else if (e instanceof ProducerVersionContext p) {
                    m.setProducerVersion(unquote(p.STRING().getSymbol()));
                } else if (e instanceof ModelDomainContext d) {
                    m.setDomain(unquote(d.STRING().getSymbol()));
                } else if (e instanceof ModelVersionContext v) {
                    m.setModelVersion(parseLong(v.INT()));
                } else if (e instanceof DocStringContext d) {
                    m.setDocString(unquote(d.STRING().getSymbol()));
                }
            }
        }
        if (!irVersionGiven) {
            m.setIrVersion(GraphBuilder.DEFAULT_IR_VERSION);
        }
        if (!seen.containsKey("opset_import")) {
            opsets.put("", GraphBuilder.DEFAULT_OPSET);
        }
        opsets.forEach((d, v) -> m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(d).setVersion(v)));

        m.setGraph(graph(ctx.graph(), null));

        for (Map.Entry<String, Token> used : usedDomains.entrySet()) {
            String domain = used.getKey();
            boolean imported = opsets.containsKey(domain) || (domain.equals("ai.onnx") && opsets.containsKey(""))
                    || (domain.isEmpty() && opsets.containsKey("ai.onnx"));
            if (!imported) {
                String which = domain.isEmpty() ? "the default domain" : "domain `" + domain + "`";
                long version = domain.isEmpty() ? GraphBuilder.DEFAULT_OPSET : 1;
                throw error(used.getValue(), which + " of `" + used.getValue().getText() + "` is not imported; add `\""
                        + domain + "\" : " + version + "` to `opset_import` in the header");
            }
        }
        return m.build();
    }

    // ---- graphs --------------------------------------------------------------------------

    /** Names visible in a graph: its own definitions, then those of enclosing graphs. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Token> defined = new HashMap<>();
        /** Every node output of this graph's body, for "used before its definition". */
        final Map<String, Token> nodeOutputs;

        Scope(Scope parent, Map<String, Token> nodeOutputs) {
            this.parent = parent;
            this.nodeOutputs = nodeOutputs;
        }

        Token lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Token t = s.defined.get(name);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }

        Token definedLater(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Token t = s.nodeOutputs.get(name);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
    }

    private GraphProto graph(GraphContext g, Scope parent) {
        Map<String, Token> nodeOutputs = new HashMap<>();
        for (NodeContext n : g.body().node()) {
            for (ArgContext a : n.outputs.arg()) {
                if (a instanceof PresentArgContext p) {
                    nodeOutputs.putIfAbsent(valueName(p.name()), p.getStart());
                }
            }
        }
        Scope scope = new Scope(parent, nodeOutputs);
        GraphProto.Builder b = GraphProto.newBuilder().setName(text(g.name()));

        if (g.signature().inputs != null) {
            for (ParamContext p : g.signature().inputs.param()) {
                String name = valueName(p.name());
                define(scope, name, p.name().getStart());
                ValueInfoProto.Builder info = ValueInfoProto.newBuilder().setName(name);
                if (p.type() != null) {
                    info.setType(type(p.type()));
                }
                b.addInput(info);
                if (p.init() != null) {
                    if (p.type() == null) {
                        throw error(p.name().getStart(), "input `" + name + "` has a value but no type;"
                                + " write its type first, such as `float[4] " + name + " = ...`");
                    }
                    b.addInitializer(tensor(name, "input `" + name + "`", p.type(), p.init()));
                }
            }
        }
        if (g.initializers() != null) {
            for (InitializerContext i : g.initializers().initializer()) {
                String name = valueName(i.name());
                define(scope, name, i.name().getStart());
                b.addInitializer(tensor(name, "initializer `" + name + "`", i.type(), i.init()));
            }
        }
        for (NodeContext n : g.body().node()) {
            b.addNode(node(n, scope));
        }
        if (g.signature().outputs != null) {
            for (ParamContext p : g.signature().outputs.param()) {
                String name = valueName(p.name());
                if (p.init() != null) {
                    throw error(p.init().getStart(), "graph output `" + name + "` cannot have a value here;"
                            + " declare it among the initializers `<...>` instead");
                }
                if (scope.lookup(name) == null) {
                    throw error(p.name().getStart(), "graph output `" + name + "` is not defined by any node,"
                            + " input or initializer");
                }
                ValueInfoProto.Builder info = ValueInfoProto.newBuilder().setName(name);
                if (p.type() != null) {
                    info.setType(type(p.type()));
                }
                b.addOutput(info);
            }
        }
        return b.build();
    }

    private void define(Scope scope, String name, Token at) {
        Token earlier = scope.lookup(name);
        if (earlier != null) {
            throw error(at, "`" + name + "` is already defined; every value needs its own name", earlier,
                    "`" + name + "` is first defined here");
        }
        scope.defined.put(name, at);
    }

    // ---- nodes ---------------------------------------------------------------------------

    private NodeProto node(NodeContext n, Scope scope) {
        NodeProto.Builder b = NodeProto.newBuilder();
        if (n.nodeName != null) {
            b.setName(text(n.nodeName));
        }
        String op = n.op.getText();
        int dot = op.lastIndexOf('.');
        String domain = dot < 0 ? "" : op.substring(0, dot);
        b.setOpType(dot < 0 ? op : op.substring(dot + 1));
        if (!domain.isEmpty()) {
            b.setDomain(domain);
        }
        usedDomains.putIfAbsent(domain, n.op.getStart());

        for (ArgContext a : slots(n.inputs)) {
            if (a instanceof PresentArgContext p) {
                String name = valueName(p.name());
                if (scope.lookup(name) == null) {
                    Token later = scope.definedLater(name);
                    if (later != null) {
                        throw error(p.getStart(), "`" + name + "` is read before it is defined; write the node"
                                + " that computes it first", later, "`" + name + "` is defined here");
                    }
                    throw error(p.getStart(), "`" + name + "` is not defined; declare it as a graph input or"
                            + " initializer, or compute it with a node before this one");
                }
                b.addInput(name);
            } else {
                b.addInput("");
            }
        }

        String label = firstOutput(n);
        Map<String, Token> attributeNames = new HashMap<>();
        for (AttributeContext a : n.attributes() == null ? List.<AttributeContext>of() : n.attributes().attribute()) {
            String key = a.key.getText();
            Token earlier = attributeNames.putIfAbsent(key, a.key.getStart());
            if (earlier != null) {
                throw error(a.key.getStart(), "attribute `" + key + "` is given twice", earlier, "given first here");
            }
            b.addAttribute(attribute(a, scope, label));
        }

        List<ArgContext> outputs = slots(n.outputs);
        if (outputs.isEmpty()) {
            throw error(n.op.getStart(), "`" + op + "` has no outputs; name at least one before `=`");
        }
        for (ArgContext a : outputs) {
            if (a instanceof PresentArgContext p) {
                String name = valueName(p.name());
                define(scope, name, p.getStart());
                b.addOutput(name);
            } else {
                b.addOutput("");
            }
        }
        return b.build();
    }

    /** The slots of an argument list; a single empty slot, as in {@code Op ()}, is no slot at all. */
    private static List<ArgContext> slots(ArgsContext args) {
        List<ArgContext> all = args.arg();
        return all.size() == 1 && !(all.get(0) instanceof PresentArgContext) ? List.of() : all;
    }

    private String firstOutput(NodeContext n) {
        for (ArgContext a : n.outputs.arg()) {
            if (a instanceof PresentArgContext p) {
                return valueName(p.name());
            }
        }
        return n.op.getText();
    }

    // ---- attributes ----------------------------------------------------------------------

    private AttributeProto attribute(AttributeContext a, Scope scope, String nodeLabel) {
        String key = a.key.getText();
        String declared = a.attrType == null ? null : a.attrType.getText();
        if (declared != null && !ATTRIBUTE_TYPES.contains(declared)) {
            throw error(a.attrType.getStart(), "unknown attribute type `" + declared
                    + "`; expected one of int, float, string, tensor, graph, ints, floats, strings");
        }
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(key);
        AttributeValueContext v = a.attributeValue();
        if (v instanceof NumberAttrContext num) {
            boolean isFloat = isFloatText(num.number()) || "float".equals(declared);
            if (isFloat) {
                b.setType(AttributeType.FLOAT).setF(parseFloat(num.number()));
            } else {
                b.setType(AttributeType.INT).setI(parseLong(num.number()));
            }
        } else if (v instanceof StringAttrContext s) {
            b.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(unquote(s.STRING().getSymbol())));
        } else if (v instanceof ListAttrContext list) {
            listAttribute(b, key, declared, list);
        } else if (v instanceof TensorAttrContext t) {
            TensorProto tensor = tensor(nodeLabel + "." + key, "attribute `" + key + "`", t.type(), t.init());
            b.setType(AttributeType.TENSOR).setT(tensor.toBuilder().clearName());
        } else if (v instanceof GraphAttrContext g) {
            b.setType(AttributeType.GRAPH).setG(graph(g.graph(), scope));
        }
        String actual = b.getType().name().toLowerCase();
        if (declared != null && !declared.equals(actual)) {
            throw error(v.getStart(), "attribute `" + key + "` is declared `" + declared + "`, but its value is "
                    + (actual.endsWith("s") ? "a list of " + actual : "of type " + actual));
        }
        return b.build();
    }

    private void listAttribute(AttributeProto.Builder b, String key, String declared, ListAttrContext list) {
        List<ListItemContext> items = list.listItem();
        if (items.isEmpty()) {
            if (declared == null || !(declared.equals("ints") || declared.equals("floats") || declared.equals("strings"))) {
                throw error(list.getStart(), "the empty list `" + key + "` needs its type; write `" + key
                        + ": ints = []` (or floats, strings)");
            }
            b.setType(AttributeType.valueOf(declared.toUpperCase()));
            return;
        }
        boolean strings = items.get(0) instanceof StringItemContext;
        boolean floats = "floats".equals(declared);
        for (ListItemContext item : items) {
            if ((item instanceof StringItemContext) != strings) {
                throw error(item.getStart(), "list `" + key + "` mixes strings and numbers");
            }
            if (item instanceof NumberItemContext n && isFloatText(n.number())) {
                floats = true;
            }
        }
        if (strings) {
            b.setType(AttributeType.STRINGS);
            for (ListItemContext item : items) {
                b.addStrings(ByteString.copyFromUtf8(unquote(((StringItemContext) item).STRING().getSymbol())));
            }
        } else if (floats) {
            b.setType(AttributeType.FLOATS);
            for (ListItemContext item : items) {
                b.addFloats(parseFloat(((NumberItemContext) item).number()));
            }
        } else {
            b.setType(AttributeType.INTS);
            for (ListItemContext item : items) {
                b.addInts(parseLong(((NumberItemContext) item).number()));
            }
        }
    }

    // ---- types and tensors ---------------------------------------------------------------

    private TypeProto type(TypeContext t) {
        if (t instanceof SequenceTypeContext s) {
            return TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(type(s.type())))
                    .build();
        }
        if (t instanceof OptionalTypeContext o) {
            return TypeProto.newBuilder().setOptionalType(TypeProto.Optional.newBuilder().setElemType(type(o.type())))
                    .build();
        }
        TensorTypeContext tt = (TensorTypeContext) t;
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(dtype(tt).code());
        if (tt.dims() != null) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (DimContext d : tt.dims().dim()) {
                TensorShapeProto.Dimension.Builder dim = shape.addDimBuilder();
                if (d instanceof DimValueContext v) {
                    dim.setDimValue(parseLong(v.INT()));
                } else if (d instanceof DimParamContext p) {
                    String symbol = text(p.name());
                    if (symbol.isEmpty()) {
                        throw error(d.getStart(), "a dimension name cannot be empty; write `?` for an unknown one");
                    }
                    dim.setDimParam(symbol);
                }
            }
            tensor.setShape(shape);
        }
        return TypeProto.newBuilder().setTensorType(tensor).build();
    }

    private DataType dtype(TensorTypeContext t) {
        String name = t.dtype.getText();
        DataType type = TensorLiterals.byName(name);
        if (type == null) {
            String near = nearest(name, TensorLiterals.names());
            throw error(t.dtype.getStart(), "unknown dtype `" + name + "`" + (near != null
                    ? "; did you mean `" + near + "`?"
                    : "; expected one of " + String.join(", ", TensorLiterals.names())));
        }
        return type;
    }

    /** The tensor {@code type init} describes; {@code what} names it in messages. */
    private TensorProto tensor(String name, String what, TypeContext typeCtx, InitContext init) {
        if (!(typeCtx instanceof TensorTypeContext tt)) {
            throw error(typeCtx.getStart(), what + " needs a tensor type such as `float[4]`");
        }
        DataType dtype = dtype(tt);
        if (tt.dims() == null) {
            throw error(typeCtx.getStart(), what + " needs a shape, such as `" + tt.dtype.getText()
                    + "[4]`; write `" + tt.dtype.getText() + "[]` for a scalar");
        }
        List<DimContext> dimList = tt.dims().dim();
        long[] dims = new long[dimList.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!(dimList.get(i) instanceof DimValueContext v)) {
                throw error(dimList.get(i).getStart(), what + " needs a static shape; `"
                        + dimList.get(i).getText() + "` is not a number");
            }
            dims[i] = parseLong(v.INT());
            count = dims[i] == 0 || count == 0 ? 0 : count > TensorLiterals.MAX_ELEMENTS / dims[i] ? -1 : count * dims[i];
            if (count < 0) {
                throw error(typeCtx.getStart(), what + " is too large; graph text makes tensors of at most "
                        + TensorLiterals.MAX_ELEMENTS + " elements");
            }
        }
        String unsupported = TensorLiterals.unsupported(dtype,
                init instanceof LiteralInitContext || init instanceof OnesInitContext || init instanceof RandomUniformInitContext);
        if (unsupported != null) {
            throw error(init.getStart(), what + ": " + unsupported);
        }

        Tensor tensor;
        if (init instanceof LiteralInitContext lit) {
            List<LiteralContext> values = lit.literal();
            if (values.size() != count) {
                throw error(init.getStart(), what + " of shape " + shapeText(dims) + " needs " + count
                        + (count == 1 ? " value" : " values") + ", got " + values.size());
            }
            tensor = Tensor.zeros(name, dtype, dims);
            TensorView view = tensor.mutableView();
            for (int i = 0; i < values.size(); i++) {
                String problem = TensorLiterals.set(view, i, values.get(i).getText());
                if (problem != null) {
                    throw error(values.get(i).getStart(), problem);
                }
            }
        } else if (init instanceof RandomNormalInitContext) {
            tensor = TensorLiterals.normal(name, dtype, dims, TensorLiterals.generator(seed, name));
        } else if (init instanceof RandomUniformInitContext u) {
            double lo = bound(u.lo, dtype);
            double hi = bound(u.hi, dtype);
            if (!(lo < hi)) {
                throw error(u.lo.getStart(), "`random(lo, hi)` needs lo < hi, got " + u.lo.getText() + " and "
                        + u.hi.getText());
            }
            tensor = TensorLiterals.uniform(name, dtype, dims, lo, hi, TensorLiterals.generator(seed, name));
        } else if (init instanceof OnesInitContext) {
            tensor = TensorLiterals.ones(name, dtype, dims);
        } else {
            tensor = TensorLiterals.zeros(name, dtype, dims);
        }
        return TensorEncoder.inlineRaw(tensor);
    }

    /** A bound of {@code random(lo, hi)}: finite, and whole and in range for integer dtypes. */
    private double bound(NumberContext n, DataType dtype) {
        String text = n.getText();
        if (text.endsWith("inf") || text.endsWith("nan")) {
            throw error(n.getStart(), "the bounds of `random(lo, hi)` must be finite numbers");
        }
        double d = Double.parseDouble(text);
        if (!TensorLiterals.isFloat(dtype)) {
            if (dtype == DataType.BOOL) {
                throw error(n.getStart(), "bool tensors have no `random(lo, hi)`; use `random`");
            }
            if (isFloatText(n) || Math.abs(d) > 1L << 53) {
                throw error(n.getStart(), "the bounds of `random(lo, hi)` for " + TensorLiterals.name(dtype)
                        + " must be whole numbers of at most 2^53");
            }
            var range = TensorLiterals.range(dtype);
            if (d < range[0].doubleValue() || d > range[1].doubleValue() + 1) {
                throw error(n.getStart(), "`" + text + "` is out of the range of " + TensorLiterals.name(dtype));
            }
        }
        return d;
    }

    private static String shapeText(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return sb.append(']').toString();
    }

    // ---- names and numbers ---------------------------------------------------------------

    /** A value name: an identifier, or a string for names that are not identifiers; never empty. */
    private String valueName(NameContext n) {
        String name = text(n);
        if (name.isEmpty()) {
            throw error(n.getStart(), "a value name cannot be empty");
        }
        return name;
    }

    private String text(NameContext n) {
        return n instanceof IdentNameContext ? n.getText() : unquote(n.getStart());
    }

    /** The text of a STRING token, escapes resolved: \" \\ \n \t \r and \\uXXXX. */
    private String unquote(Token t) {
        String s = t.getText();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '"', '\\' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    if (i + 4 >= s.length() || !s.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                        throw error(t, "`\\u` needs four hex digits, as in `\\u00e9`");
                    }
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw error(t, "unknown escape `\\" + e + "` in a string; use \\\" \\\\ \\n \\t \\r or \\uXXXX");
            }
        }
        return sb.toString();
    }

    private static boolean isFloatText(NumberContext n) {
        return n.FLOAT() != null || n.getText().endsWith("inf") || n.getText().endsWith("nan");
    }

    private long parseLong(TerminalNode intToken) {
        try {
            return Long.parseLong(intToken.getText());
        } catch (NumberFormatException e) {
            throw error(intToken.getSymbol(), "`" + intToken.getText() + "` is too large for a 64-bit integer");
        }
    }

    private long parseLong(NumberContext n) {
        try {
            return Long.parseLong(n.getText());
        } catch (NumberFormatException e) {
            throw error(n.getStart(), "`" + n.getText() + "` is too large for a 64-bit integer");
        }
    }

    private float parseFloat(NumberContext n) {
        String text = n.getText();
        if (text.endsWith("nan")) {
            return Float.NaN;
        }
        if (text.endsWith("inf")) {
            return text.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        float f = Float.parseFloat(text);
        if (Float.isInfinite(f)) {
            throw error(n.getStart(), "`" + text + "` is out of the range of float");
        }
        return f;
    }

    /** The candidate within two edits of {@code word}, if exactly one is nearest. */
    private static String nearest(String word, List<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = editDistance(word.toLowerCase(), c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- errors --------------------------------------------------------------------------

    private GraphTextException error(Token at, String reason) {
        return new GraphTextException(source, at.getLine(), at.getCharPositionInLine() + 1, reason, null);
    }

    private GraphTextException error(Token at, String reason, Token noteAt, String note) {
        return new GraphTextException(source, at.getLine(), at.getCharPositionInLine() + 1, reason,
                source + ":" + noteAt.getLine() + ":" + (noteAt.getCharPositionInLine() + 1) + ": note: " + note);
    }
}
