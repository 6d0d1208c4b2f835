/*
 * The graph text format: small ONNX models written the way onnx.parser / onnx.printer write them.
 *
 *   <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
 *   conv_bn (float[N,3,8,8] x) => (float[N,4,8,8] y)
 *   <float[4,3,3,3] w = random, float[4] b = {0.1, -0.2, 0.3, 0.4}>
 *   {
 *     [conv1] c = Conv <kernel_shape = [3,3], pads = [1,1,1,1]> (x, w, b)
 *     y = Relu (c)
 *   }
 *
 * Ops outside the default domain are written with the domain as a dotted prefix:
 * `com.microsoft.FusedConv` is op `FusedConv` of domain `com.microsoft` (the last segment is the op).
 * Names that are not identifiers (`onnx::Conv_3`, `123`) are written as strings: "onnx::Conv_3".
 * Keywords are reserved only where they are keywords: `random`, `float`, `domain` are fine value names.
 *
 * Meaning (dtypes, defined-before-use, shapes of literal values) is checked after parsing, in
 * org.onnx2trt.text (rewrite-engine), so that those errors name the place and the fix.
 */
grammar GraphText;

model
    : header? graph EOF
    ;

header
    : '<' (headerEntry (',' headerEntry)*)? '>'
    ;

headerEntry
    : 'ir_version' ':' INT                                          # IrVersion
    | 'opset_import' ':' '[' (opsetEntry (',' opsetEntry)*)? ']'    # OpsetImport
    | 'producer_name' ':' STRING                                    # ProducerName
    | 'producer_version' ':' STRING                                 # ProducerVersion
    | 'domain' ':' STRING                                           # ModelDomain
    | 'model_version' ':' INT                                       # ModelVersion
    | 'doc_string' ':' STRING                                       # DocString
    ;

opsetEntry
    : STRING ':' INT
    ;

/** A graph; also the value of a graph attribute (the branches of If, the body of Loop). */
graph
    : name signature initializers? body
    ;

signature
    : '(' inputs=params? ')' '=>' '(' outputs=params? ')'
    ;

params
    : param (',' param)*
    ;

/** A graph input or output; an input with `= value` also has an initializer (a default value). */
param
    : type? name ('=' init)?
    ;

initializers
    : '<' (initializer (',' initializer)*)? '>'
    ;

initializer
    : type name '=' init
    ;

body
    : '{' node* '}'
    ;

/** `[name] out1, out2 = domain.Op <attributes> (in1, , in3)`; an empty slot is an omitted optional value. */
node
    : ('[' nodeName=name ']')? outputs=args '=' op=ident attributes? '(' inputs=args ')'
    ;

args
    : arg (',' arg)*
    ;

arg
    : name      # PresentArg
    |           # MissingArg
    ;

attributes
    : '<' (attribute (',' attribute)*)? '>'
    ;

/** `key = value`, or `key: ints = []` where the type is not clear from the value. */
attribute
    : key=ident (':' attrType=ident)? '=' attributeValue
    ;

attributeValue
    : number                                    # NumberAttr
    | STRING                                    # StringAttr
    | '[' (listItem (',' listItem)*)? ']'       # ListAttr
    | type init                                 # TensorAttr
    | graph                                     # GraphAttr
    ;

listItem
    : number    # NumberItem
    | STRING    # StringItem
    ;

type
    : 'seq' '(' type ')'            # SequenceType
    | 'optional' '(' type ')'       # OptionalType
    | dtype=ident dims?             # TensorType
    ;

/** `[N,3,?,8]`: numbers, symbols and `?` (unknown); `[]` is a scalar; no brackets: unknown rank. */
dims
    : '[' (dim (',' dim)*)? ']'
    ;

dim
    : INT       # DimValue
    | name      # DimParam
    | '?'       # DimUnknown
    ;

/** The data of an initializer or tensor attribute. */
init
    : '{' (literal (',' literal)*)? '}'             # LiteralInit
    | 'random'                                      # RandomNormalInit
    | 'random' '(' lo=number ',' hi=number ')'      # RandomUniformInit
    | 'zeros'                                       # ZerosInit
    | 'ones'                                        # OnesInit
    ;

literal
    : number    # NumberLiteral
    | 'true'    # TrueLiteral
    | 'false'   # FalseLiteral
    ;

number
    : '-'? (INT | FLOAT | 'inf' | 'nan')
    ;

name
    : ident     # IdentName
    | STRING    # QuotedName
    ;

/** An identifier; the keywords are identifiers too wherever a name is expected (one form, so no labels). */
ident
    : ( ID
      | 'ir_version' | 'opset_import' | 'producer_name' | 'producer_version' | 'domain' | 'model_version'
      | 'doc_string' | 'seq' | 'optional' | 'random' | 'zeros' | 'ones' | 'true' | 'false' | 'inf' | 'nan'
      )
    ;

ID
    : [A-Za-z_] [A-Za-z0-9_]* ('.' [A-Za-z0-9_]+)*
    ;

INT
    : [0-9]+
    ;

FLOAT
    : [0-9]+ '.' [0-9]+ EXPONENT?
    | [0-9]+ EXPONENT
    ;

fragment EXPONENT
    : [eE] [+-]? [0-9]+
    ;

STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    ;

/** A string without its closing quote, so that the error says so instead of "unexpected character". */
UNTERMINATED_STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])*
    ;

COMMENT
    : '#' ~[\r\n]* -> skip
    ;

WS
    : [ \t\r\n]+ -> skip
    ;

/** Any other character: a token, so that the parser reports it with its position. */
ERROR_CHAR
    : .
    ;
