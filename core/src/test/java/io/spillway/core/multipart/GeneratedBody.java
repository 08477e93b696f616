package io.spillway.core.multipart;

import io.spillway.core.multipart.MultipartOutcome.Failure;
import io.spillway.core.multipart.MultipartOutcome.Part;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A multipart body generated from a seed, in the language both FileUpload2 and the fast parser
 * accept (no transport padding, no empty header blocks, no dash in the preamble), together with
 * the outcome it must produce. Part content is random bytes seeded with fragments of the
 * delimiter, never the whole delimiter; header blocks sometimes sit right at the size limit.
 *
 * @param truncatedAt where the body was cut short, or -1 when it is whole
 */
record GeneratedBody(String boundary, byte[] body, int maxHeaderSize, MultipartOutcome expected, int truncatedAt) {

    private static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String BCHARS = ALNUM + "'()+_,-./:=? ";
    private static final String TEXT = ALNUM + " !#$%&*+,./:;<=>?@[]^_{|}~\u00e9\u00fc\u00df\u65e5\u672c\u0416";

    static GeneratedBody generate(long seed) {
        Random random = new Random(seed);
        String boundary = boundary(random);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int maxHeaderSize = random.nextInt(4) == 0 ? 64 + random.nextInt(2000) : 512;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble(random));
        List<Part> parts = new ArrayList<>();
        Failure failure = Failure.NONE;
        int firstLineEnd = -1;
        int partCount = random.nextInt(3) == 0 ? random.nextInt(21) : random.nextInt(4);
        for (int i = 0; i < partCount; i++) {
            out.writeBytes(((out.size() == 0 ? "" : "\r\n") + "--" + boundary + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (firstLineEnd < 0) {
                firstLineEnd = out.size();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            byte[] block = headerBlock(random, i, maxHeaderSize, headers);
            byte[] content = content(random, delimiter);
            out.writeBytes(block);
            out.writeBytes(content);
            if (failure == Failure.NONE) {
                if (block.length > maxHeaderSize) {
                    failure = Failure.TOO_LARGE;
                } else {
                    parts.add(new Part(headers, content));
                }
            }
        }
        out.writeBytes(((out.size() == 0 ? "" : "\r\n") + "--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1));
        int closeEnd = out.size();
        if (firstLineEnd < 0) {
            firstLineEnd = closeEnd;
        }
        if (random.nextBoolean()) {
            out.writeBytes(epilogue(random, delimiter));
        }
        byte[] body = out.toByteArray();
        if (partCount > 0 && random.nextInt(6) == 0) {
            int cut = firstLineEnd + random.nextInt(closeEnd - firstLineEnd);
            return new GeneratedBody(boundary, java.util.Arrays.copyOf(body, cut), maxHeaderSize, null, cut);
        }
        return new GeneratedBody(boundary, body, maxHeaderSize, new MultipartOutcome(parts, failure), -1);
    }

    private static String boundary(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return "----WebKitFormBoundary" + chars(random, ALNUM, 16);
            case 1:
                return "-".repeat(27) + chars(random, "0123456789", 20 + random.nextInt(10));
            case 2:
                return "-".repeat(24) + chars(random, "0123456789abcdef", 16);
            case 3:
                return chars(random, BCHARS, random.nextInt(3)) + chars(random, ALNUM, 1);
            default:
                return chars(random, BCHARS, random.nextInt(70)) + chars(random, ALNUM, 1);
        }
    }

    private static String chars(Random random, String alphabet, int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static byte[] preamble(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return ("This is a multi-part message in MIME format.".replace("-", " ")
                        + "\r\n").getBytes(StandardCharsets.UTF_8);
            case 1:
                return "\r\n".repeat(random.nextInt(5000)).getBytes(StandardCharsets.ISO_8859_1);
            case 2:
                byte[] noise = new byte[random.nextInt(3000)];
                random.nextBytes(noise);
                for (int i = 0; i < noise.length; i++) {
                    if (noise[i] == '-') {
                        noise[i] = '+';
                    }
                }
                return noise;
            default:
                return new byte[0];
        }
    }

    /** A header block (with its empty line); fills {@code headers} with what a parser must report. */
    private static byte[] headerBlock(Random random, int index, int maxHeaderSize, Map<String, List<String>> headers) {
        List<String[]> lines = new ArrayList<>();
        String disposition = "form-data; name=\"field" + index + "\"";
        if (random.nextBoolean()) {
            disposition += "; filename=\"" + chars(random, TEXT, random.nextInt(40)) + ".bin\"";
        }
        lines.add(new String[] {"Content-Disposition", disposition});
        if (random.nextBoolean()) {
            lines.add(new String[] {"Content-Type", random.nextBoolean() ? "application/octet-stream" : "text/plain; charset=UTF-8"});
        }
        if (random.nextInt(4) == 0) {
            lines.add(new String[] {"X-Extra-" + index, chars(random, TEXT, 1 + random.nextInt(30)).strip() + "v"});
        }
        if (random.nextInt(5) == 0) {
            int size = blockSize(lines);
            int target = maxHeaderSize - 10 + random.nextInt(21);
            int padding = target - size - "X-Pad: \r\n".length();
            if (padding > 0) {
                lines.add(new String[] {"X-Pad", "p".repeat(padding)});
            }
        }
        StringBuilder block = new StringBuilder();
        for (String[] line : lines) {
            block.append(line[0]).append(": ").append(line[1]).append("\r\n");
            headers.computeIfAbsent(line[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(line[1]);
        }
        return block.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int blockSize(List<String[]> lines) {
        int size = 2;
        for (String[] line : lines) {
            size += (line[0] + ": " + line[1] + "\r\n").getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static byte[] content(Random random, byte[] delimiter) {
        int size;
        int kind = random.nextInt(20);
        if (kind < 5) {
            size = 0;
        } else if (kind < 12) {
            size = 1 + random.nextInt(64);
        } else if (kind < 17) {
            size = 65 + random.nextInt(5000);
        } else if (kind < 19) {
            size = 5000 + random.nextInt(70_000);
        } else {
            size = 70_000 + random.nextInt(230_000);
        }
        byte[] content = new byte[size];
        random.nextBytes(content);
        int fragments = size == 0 ? 0 : random.nextInt(1 + Math.min(size / 8, 20));
        for (int i = 0; i < fragments; i++) {
            byte[] fragment = fragment(random, delimiter);
            int at = random.nextInt(4) == 0 ? size - fragment.length : random.nextInt(size);
            if (at < 0) {
                continue;
            }
            System.arraycopy(fragment, 0, content, at, Math.min(fragment.length, size - at));
        }
        breakWholeDelimiters(content, delimiter);
        return content;
    }

    private static byte[] fragment(Random random, byte[] delimiter) {
        switch (random.nextInt(6)) {
            case 0:
                return new byte[] {'\r'};
            case 1:
                return new byte[] {'\r', '\n'};
            case 2:
                return new byte[] {'\r', '\n', '\r', '\n'};
            case 3:
                return java.util.Arrays.copyOfRange(delimiter, 2, delimiter.length);
            default:
                return java.util.Arrays.copyOf(delimiter, 1 + random.nextInt(delimiter.length - 1));
        }
    }

    /** Changes the last byte of every whole delimiter, which a valid body must not contain. */
    private static void breakWholeDelimiters(byte[] content, byte[] delimiter) {
        for (int i = 0; i + delimiter.length <= content.length; i++) {
            if (java.util.Arrays.equals(content, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                content[i + delimiter.length - 1] ^= 0x01;
            }
        }
    }

    private static byte[] epilogue(Random random, byte[] delimiter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] noise = new byte[random.nextInt(2000)];
        random.nextBytes(noise);
        out.writeBytes(noise);
        out.writeBytes(delimiter);
        out.writeBytes("\r\nContent-Disposition: form-data; name=\"epilogue\"\r\n\r\nignored".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
