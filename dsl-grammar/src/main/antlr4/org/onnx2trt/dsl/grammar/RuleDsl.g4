// The onnx2trt rule language (*.rw files). See docs/dsl.md for the reference.
//
//   /// BN(Conv(x, W, B)) -> Conv(x, W*s, (B - mean)*s + beta), s = gamma / sqrt(var + eps)
//   rule FuseConvBatchNorm
//     opset 9..
//   match
//     conv = Conv(x, w, b?)
//     bn   = BatchNormalization(conv, gamma, beta, mean, var) { epsilon: eps }
//   where
//     constant(w, b, gamma, beta, mean, var) : "weights and statistics must be initializers"
//   compute
//     s = gamma / sqrt(var + eps)
//   rewrite
//     bn -> Conv(x, w2, b2) { ...conv }
//   end
//
// Every alternative is labelled, so the AST builder has one method per form.
grammar RuleDsl;

ruleFile
    : ruleDecl* EOF
    ;

ruleDecl
    : docs+=DOC_COMMENT* RULE name=IDENT metadata* matchSection whereSection? computeSection? rewriteSection END
    ;

metadata
    : OPSET from=INT (range=DOTDOT to=INT?)?                 # opsetMeta
    | BENEFIT value=INT                                      # benefitMeta
    | TAGS tags+=IDENT (COMMA tags+=IDENT)*                  # tagsMeta
    | OPT_IN                                                 # optInMeta
    | EFFECT effects+=IDENT (COMMA effects+=IDENT)*          # effectMeta
    | APPROX metric=IDENT value=(INT | FLOAT)                # approxMeta
    ;

// ---- match: a DAG of op patterns, one binding per matched node ----

matchSection
    : MATCH binding+
    ;

// `p = Pow(d, 2) | Mul(d, d)`: alternative forms of one node (each a whole op pattern).
binding
    : name=IDENT ASSIGN forms+=opPattern (PIPE forms+=opPattern)*
    ;

opPattern
    : ops+=opRef (PIPE ops+=opRef)* LPAREN (patternArg (COMMA patternArg)*)? RPAREN attrPatterns?
    ;

opRef
    : (domain=dottedName COLONCOLON)? op=IDENT
    ;

dottedName
    : IDENT (DOT IDENT)*
    ;

// An input may name its schema parameter: `Conv(x, w, B: b?)`. Named inputs follow positional ones.
patternArg
    : (input=IDENT COLON)? patternValue
    ;

patternValue
    : name=IDENT QUESTION                                    # optionalArg
    | name=IDENT ELLIPSIS                                    # variadicArg
    | UNDERSCORE                                             # wildcardArg
    | name=IDENT                                             # captureArg
    | minus=MINUS? value=(INT | FLOAT)                       # literalArg
    ;

attrPatterns
    : LBRACE attrPattern (COMMA attrPattern)* COMMA? RBRACE
    ;

attrPattern
    : attr=IDENT COLON var=IDENT                             # attrCapture
    | attr=IDENT COLON value=literal                         # attrEquals
    | attr=IDENT COLON LBRACK (items+=literal (COMMA items+=literal)*)? RBRACK  # attrEqualsList
    ;

// ---- where: checks, each with the message given when it fails ----

whereSection
    : WHERE check+
    ;

check
    : expr (COLON message=STRING)?
    ;

// ---- compute: new constants from matched ones ----

computeSection
    : COMPUTE assignment+
    ;

assignment
    : name=IDENT ASSIGN expr
    ;

// ---- rewrite: what replaces the matched nodes ----

rewriteSection
    : REWRITE rewriteStatement+
    ;

rewriteStatement
    : LET name=IDENT ASSIGN construct                        # letStatement
    | targets+=IDENT ARROW construct                         # replaceStatement
    | LPAREN targets+=IDENT (COMMA targets+=IDENT)* RPAREN ARROW construct   # replaceManyStatement
    ;

construct
    : opRef LPAREN (constructArg (COMMA constructArg)*)? RPAREN attrSets? (outputs=OUTPUTS count=INT)?   # opConstruct
    | name=IDENT                                                                                       # valueConstruct
    ;

constructArg
    : NONE                                                   # noneArg
    | construct                                              # constructValueArg
    ;

attrSets
    : LBRACE attrSet (COMMA attrSet)* COMMA? RBRACE
    ;

attrSet
    : ELLIPSIS from=IDENT                                    # copyAttrs
    | MINUS attr=IDENT                                       # dropAttr
    | attr=IDENT COLON expr                                  # setAttr
    ;

// ---- expressions (checks and computed tensors) ----

expr
    : LPAREN expr RPAREN                                     # parenExpr
    | target=expr LBRACK index=expr RBRACK                   # indexExpr
    | target=expr DOT field=IDENT                            # memberExpr
    | NATIVE fn=IDENT LPAREN callArgs? RPAREN                # nativeCallExpr
    | fn=(IDENT | WHERE | OPSET) LPAREN callArgs? RPAREN     # callExpr
    | op=(MINUS | NOT) operand=expr                          # unaryExpr
    | left=expr op=(STAR | SLASH | PERCENT) right=expr       # multiplicativeExpr
    | left=expr op=(PLUS | MINUS) right=expr                 # additiveExpr
    | left=expr op=(EQ | NE | LT | LE | GT | GE) right=expr  # comparisonExpr
    | left=expr COALESCE right=expr                          # coalesceExpr
    | left=expr AND right=expr                               # andExpr
    | left=expr OR right=expr                                # orExpr
    | LBRACK (expr (COMMA expr)*)? RBRACK                    # listExpr
    | literal                                                # literalExpr
    | name=IDENT                                             # nameExpr
    ;

callArgs
    : callArg (COMMA callArg)*
    ;

callArg
    : (name=IDENT COLON)? expr
    ;

literal
    : INT                                                    # intLiteral
    | FLOAT                                                  # floatLiteral
    | STRING                                                 # stringLiteral
    | TRUE                                                   # trueLiteral
    | FALSE                                                  # falseLiteral
    ;

// ---- lexer ----

RULE     : 'rule';
MATCH    : 'match';
WHERE    : 'where';
COMPUTE  : 'compute';
REWRITE  : 'rewrite';
END      : 'end';
OPSET    : 'opset';
BENEFIT  : 'benefit';
TAGS     : 'tags';
OPT_IN   : 'opt-in';
EFFECT   : 'effect';
APPROX   : 'approx';
LET      : 'let';
NONE     : 'none';
NATIVE   : 'native';
OUTPUTS  : 'outputs';
AND      : 'and';
OR       : 'or';
NOT      : 'not';
TRUE     : 'true';
FALSE    : 'false';

ARROW      : '->';
COALESCE   : '??';
COLONCOLON : '::';
ELLIPSIS   : '...';
DOTDOT     : '..';
EQ         : '==';
NE         : '!=';
LE         : '<=';
GE         : '>=';
LT         : '<';
GT         : '>';
ASSIGN     : '=';
PIPE       : '|';
QUESTION   : '?';
COLON      : ':';
COMMA      : ',';
DOT        : '.';
LPAREN     : '(';
RPAREN     : ')';
LBRACE     : '{';
RBRACE     : '}';
LBRACK     : '[';
RBRACK     : ']';
PLUS       : '+';
MINUS      : '-';
STAR       : '*';
SLASH      : '/';
PERCENT    : '%';
UNDERSCORE : '_';

FLOAT
    : DIGIT+ '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;

INT
    : DIGIT+
    ;

STRING
    : '"' (~["\\\r\n] | '\\' .)* '"'
    ;

IDENT
    : [A-Za-z] [A-Za-z0-9_]*
    | '_' [A-Za-z0-9_]+
    ;

DOC_COMMENT
    : '///' ~[\r\n]*
    ;

LINE_COMMENT
    : ('//' | '#') ~[\r\n]* -> skip
    ;

WS
    : [ \t\r\n]+ -> skip
    ;

// Anything else is one bad character; the parser reports it with its position.
ERROR_CHAR
    : .
    ;

fragment DIGIT    : [0-9];
fragment EXPONENT : [eE] [+-]? DIGIT+;
