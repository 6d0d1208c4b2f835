package org.onnx2trt.dsl.ast;

/**
 * A condition on an attribute of a matched node: {@code epsilon: eps} binds its value (the schema
 * default when absent), {@code group: 1} requires a value.
 *
 * @param attr the attribute's name
 * @param variable the variable bound to the value, or null
 * @param value the required value, or null
 */
public record AttrPattern(String attr, String variable, Expr value, Span span) {}
