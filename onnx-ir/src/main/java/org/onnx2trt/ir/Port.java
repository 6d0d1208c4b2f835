package org.onnx2trt.ir;

import org.onnx2trt.proto.Onnx.ValueInfoProto;

/**
 * An entry of a graph's input or output list: the value, and the declaration ({@code ValueInfoProto})
 * as it stands in that list, whose type, doc string and metadata are written back unchanged.
 */
public final class Port {
    private Value value;
    private ValueInfoProto declaration;

    Port(Value value, ValueInfoProto declaration) {
        this.value = value;
        this.declaration = declaration;
    }

    public Value value() {
        return value;
    }

    void setValue(Value value) {
        this.value = value;
    }

    /** The declaration; its name field is the name as read, the value's name is the one written. */
    public ValueInfoProto declaration() {
        return declaration;
    }

    public void setDeclaration(ValueInfoProto declaration) {
        this.declaration = declaration;
    }

    public String name() {
        return value.name();
    }
}
