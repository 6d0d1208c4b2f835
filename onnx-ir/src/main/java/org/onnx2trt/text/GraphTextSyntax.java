package org.onnx2trt.text;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.onnx2trt.dsl.graphtext.GraphTextLexer;
import org.onnx2trt.dsl.graphtext.GraphTextParser;

/**
 * The first stage: text to parse tree. The first syntax error ends the parse with a
 * {@link GraphTextException} saying what was found and what would have fitted.
 */
final class GraphTextSyntax {
    /** Brackets nest at most this deep; deeper texts are refused before ANTLR's recursion could overflow. */
    static final int MAX_NESTING = 100;

    private GraphTextSyntax() {}

    static GraphTextParser.ModelContext parse(String text, String source) {
        GraphTextLexer lexer = new GraphTextLexer(CharStreams.fromString(text, source));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new Listener(source)); // unreachable with ERROR_CHAR; kept as a safety net
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        checkNesting(tokens.getTokens(), source);
        GraphTextParser parser = new GraphTextParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener(source));
        return parser.model();
    }

    /** Every `<`, `(`, `[` and `{` of the language is a bracket, so counting them bounds the recursion. */
    private static void checkNesting(List<Token> tokens, String source) {
        int depth = 0;
        for (Token t : tokens) {
            switch (t.getText()) {
                case "<", "(", "[", "{" -> {
                    if (++depth > MAX_NESTING) {
                        throw new GraphTextException(source, t.getLine(), t.getCharPositionInLine() + 1,
                                "brackets nest deeper than " + MAX_NESTING + " levels", null);
                    }
                }
                case ">", ")", "]", "}" -> depth = Math.max(0, depth - 1);
                default -> { }
            }
        }
    }

    /** Turns ANTLR's report into ours: what was found, and what would have fitted. */
    private static final class Listener extends BaseErrorListener {
        private final String source;

        Listener(String source) {
            this.source = source;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                                RecognitionException e) {
            Token token = offending instanceof Token t ? t : null;
            String reason;
            if (token == null) {
                reason = "unexpected input";
            } else if (token.getType() == GraphTextLexer.ERROR_CHAR) {
                reason = "unexpected character `" + token.getText() + "`";
            } else if (token.getType() == GraphTextLexer.UNTERMINATED_STRING) {
                reason = "unterminated string; close it with `\"` on the same line";
            } else {
                String found = token.getType() == Token.EOF ? "end of input" : "`" + token.getText() + "`";
                reason = "unexpected " + found + (recognizer instanceof Parser p ? expected(p, e) : "");
            }
            throw new GraphTextException(source, line, col + 1, reason, null);
        }

        private static String expected(Parser p, RecognitionException e) {
            IntervalSet set = e == null ? p.getExpectedTokens() : e.getExpectedTokens();
            if (set == null || set.isNil()) {
                return "";
            }
            List<String> names = new ArrayList<>();
            boolean name = set.contains(GraphTextLexer.ID);
            for (int type : set.toList()) {
                String shown = display(p, type, name);
                if (shown != null && !names.contains(shown)) {
                    names.add(shown);
                }
            }
            if (names.isEmpty() || names.size() > 8) {
                return "";
            }
            return names.size() == 1 ? "; expected " + names.get(0) : "; expected one of " + String.join(", ", names);
        }

        /** How a token type reads in a message; null for keywords already covered by "a name". */
        private static String display(Parser p, int type, boolean nameExpected) {
            if (type == Token.EOF) {
                return "end of input";
            }
            String literal = p.getVocabulary().getLiteralName(type);
            if (literal != null) {
                String text = literal.substring(1, literal.length() - 1);
                return nameExpected && Character.isLetter(text.charAt(0)) ? null : "`" + text + "`";
            }
            return switch (p.getVocabulary().getSymbolicName(type)) {
                case "ID" -> "a name";
                case "INT" -> "an integer";
                case "FLOAT" -> "a number";
                case "STRING" -> "a string";
                default -> p.getVocabulary().getDisplayName(type).toLowerCase();
            };
        }
    }
}
