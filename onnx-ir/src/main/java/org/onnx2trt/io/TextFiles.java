package org.onnx2trt.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the text files a user writes (rule files, recipes): UTF-8, at most a stated size, with the
 * place of a byte that is not UTF-8, instead of "Input length = 1" or seconds of parsing a huge file.
 */
public final class TextFiles {
    /** The largest rule file or recipe read: far above any written by hand. */
    public static final long MAX_BYTES = 1L << 20;

    private TextFiles() {}

    /** A text file that cannot be read as one: the message names the file and the place. */
    public static final class TextFileException extends IOException {
        public TextFileException(String message) {
            super(message);
        }
    }

    /**
     * The file's text.
     *
     * @param what how the message names the file's kind ("a recipe", "a rule file")
     * @throws TextFileException when it is larger than {@link #MAX_BYTES} or not UTF-8
     * @throws IOException when it cannot be read
     */
    public static String read(Path file, String what) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new TextFileException(file + ": " + size + " bytes; " + what + " is at most " + MAX_BYTES
                    + " bytes (1 MiB), so this is not one, or it needs splitting");
        }
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new TextFileException(file + ":" + line + ":" + (at - lineStart + 1) + ": the byte 0x"
                    + String.format("%02x", bytes[at] & 0xff) + " is not UTF-8 text; " + what + " is UTF-8 (save it as UTF-8)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
