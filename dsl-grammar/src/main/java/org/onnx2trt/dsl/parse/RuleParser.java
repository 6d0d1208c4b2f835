package org.onnx2trt.dsl.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.ast.Span;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.grammar.RuleDslLexer;
import org.onnx2trt.dsl.grammar.RuleDslParser;

/**
 * Parses rule files. Syntax errors become diagnostics ({@code file:line:col: error: ...}); the AST
 * is built only when there are none. Never throws for bad input.
 */
public final class RuleParser {
    private RuleParser() {}

    /** The result: the AST (null when there were syntax errors) and the diagnostics. */
    public record Result(RuleFile file, Diagnostics diagnostics) {
        public boolean ok() {
            return file != null && !diagnostics.hasErrors();
        }
    }

    /** Parses {@code text}; {@code source} names the file in diagnostics. */
    public static Result parse(String text, String source) {
        Diagnostics diagnostics = new Diagnostics();
        RuleDslLexer lexer = new RuleDslLexer(CharStreams.fromString(text, source));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        RuleDslParser parser = new RuleDslParser(tokens);
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        try {
            // Two stages, as ANTLR recommends: the fast SLL prediction parses every valid file of this
            // grammar; only a file it bails out on is parsed again with full LL and our error listener,
            // so that diagnostics are exactly those of an LL parse. It halves a cold start.
            RuleDslParser.RuleFileContext tree;
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.setErrorHandler(new BailErrorStrategy());
            try {
                tree = parser.ruleFile();
            } catch (ParseCancellationException bail) {
                tokens.seek(0);
                parser.reset();
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                parser.setErrorHandler(new DefaultErrorStrategy());
                parser.addErrorListener(new Listener(source, diagnostics));
                tree = parser.ruleFile();
            }
            if (diagnostics.hasErrors()) {
                return new Result(null, diagnostics);
            }
            RuleFile file = new AstBuilder(source, diagnostics).file(tree);
            return new Result(diagnostics.hasErrors() ? null : file, diagnostics);
        } catch (StackOverflowError e) {
            diagnostics.error(new Span(source, 1, 1), "the file nests expressions too deeply to parse;"
                    + " split the expression with `compute` lines");
            return new Result(null, diagnostics);
        }
    }

    /** Turns ANTLR's messages into ours: what was found, and what would have fitted. */
    private static final class Listener extends BaseErrorListener {
        private final String source;
        private final Diagnostics diagnostics;
        private int lastLine = -1;

        Listener(String source, Diagnostics diagnostics) {
            this.source = source;
            this.diagnostics = diagnostics;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                                RecognitionException e) {
            if (line == lastLine) {
                return; // one message a line: the rest are usually echoes of the first
            }
            lastLine = line;
            Span at = new Span(source, line, col + 1);
            Token token = offending instanceof Token t ? t : null;
            String found = token == null ? "input" : token.getType() == Token.EOF ? "end of file" : "`" + token.getText() + "`";
            if (token != null && token.getType() == RuleDslLexer.ERROR_CHAR) {
                diagnostics.error(at, "unexpected character " + found);
                return;
            }
            String expected = recognizer instanceof Parser p ? expected(p, e) : "";
            diagnostics.error(at, "unexpected " + found + expected);
        }

        private static String expected(Parser p, RecognitionException e) {
            IntervalSet set = e instanceof InputMismatchException || e instanceof NoViableAltException || e == null
                    ? p.getExpectedTokens() : e.getExpectedTokens();
            if (set == null || set.isNil()) {
                return "";
            }
            List<String> names = new ArrayList<>();
            for (int type : set.toList()) {
                names.add(display(p, type));
            }
            if (names.size() > 6) {
                return "";
            }
            return names.size() == 1 ? "; expected " + names.get(0) : "; expected one of " + String.join(", ", names);
        }

        private static String display(Parser p, int type) {
            if (type == Token.EOF) {
                return "end of file";
            }
            String literal = p.getVocabulary().getLiteralName(type);
            if (literal != null) {
                return "`" + literal.substring(1, literal.length() - 1) + "`";
            }
            return switch (p.getVocabulary().getSymbolicName(type)) {
                case "IDENT" -> "a name";
                case "INT" -> "an integer";
                case "FLOAT" -> "a number";
                case "STRING" -> "a string";
                case "DOC_COMMENT" -> "a `///` comment";
                default -> p.getVocabulary().getDisplayName(type).toLowerCase();
            };
        }
    }
}
