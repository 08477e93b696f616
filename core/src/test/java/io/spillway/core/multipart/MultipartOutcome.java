package io.spillway.core.multipart;

import io.spillway.core.UploadRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.MultipartInput;

/**
 * What a parser made of a body: the parts it completed (headers, and content when it was read)
 * and how it failed, if it did. A part counts as completed once its content ended at a delimiter
 * the parser accepted; a part cut short by a failure is not listed.
 */
record MultipartOutcome(List<Part> parts, Failure failure) {

    enum Failure { NONE, MALFORMED, TOO_LARGE }

    /** How a test reads a part's content from the fast parser. */
    enum Reading { READ_ALL, TRANSFER_TO, SINGLE_BYTES, ODD_SLICES, SKIP, LEAVE_UNREAD }

    /** One part; {@code content} is null when the test did not read it. */
    record Part(Map<String, List<String>> headers, byte[] content) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Part p && headers.equals(p.headers)
                    && (content == null || p.content == null || Arrays.equals(content, p.content));
        }

        @Override
        public int hashCode() {
            return headers.hashCode();
        }

        @Override
        public String toString() {
            return headers + (content == null ? " (unread)" : " " + content.length + " bytes "
                    + Integer.toHexString(Arrays.hashCode(content)));
        }
    }

    /**
     * Parses with {@link FastMultipartParser}, reading each part as {@code readings} picks.
     *
     * @param mayLeaveUnread whether parts may be left for {@code nextPart()} to skip; only for
     *     whole bodies, since a part left unread cannot tell whether it ended at its delimiter
     */
    static MultipartOutcome fast(InputStream body, String boundary, int maxHeaderSize, int bufferSize,
            Random readings, boolean mayLeaveUnread) throws IOException {
        List<Part> parts = new ArrayList<>();
        MultipartReader reader = new FastMultipartParser(bufferSize).open(body,
                boundary.getBytes(StandardCharsets.ISO_8859_1), new MultipartLimits(maxHeaderSize));
        try {
            for (PartHeaders h = reader.nextPart(); h != null; h = reader.nextPart()) {
                Reading reading = Reading.values()[readings.nextInt(Reading.values().length)];
                if (reading == Reading.LEAVE_UNREAD && !mayLeaveUnread) {
                    reading = Reading.READ_ALL;
                }
                byte[] content = read(reader.content(), reading, readings);
                parts.add(new Part(ParsedPart.headerMap(h), content));
            }
            return new MultipartOutcome(parts, Failure.NONE);
        } catch (UploadRejectedException e) {
            return new MultipartOutcome(parts, e.status() == 413 ? Failure.TOO_LARGE : Failure.MALFORMED);
        }
    }

    private static byte[] read(InputStream content, Reading reading, Random random) throws IOException {
        switch (reading) {
            case READ_ALL:
                return content.readAllBytes();
            case TRANSFER_TO:
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                content.transferTo(out);
                return out.toByteArray();
            case SINGLE_BYTES:
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int b = content.read(); b >= 0; b = content.read()) {
                    bytes.write(b);
                }
                return bytes.toByteArray();
            case ODD_SLICES:
                ByteArrayOutputStream slices = new ByteArrayOutputStream();
                byte[] buffer = new byte[200];
                for (;;) {
                    int off = random.nextInt(100);
                    int n = content.read(buffer, off, 1 + random.nextInt(100));
                    if (n < 0) {
                        return slices.toByteArray();
                    }
                    slices.write(buffer, off, n);
                }
            case SKIP:
                while (content.skip(1 + random.nextInt(100_000)) > 0) {
                    // skipping until the part ends
                }
                if (content.read() != -1) {
                    throw new AssertionError("skip returned 0 before the end of the part");
                }
                return null;
            default:
                return null;
        }
    }

    /** Parses with FileUpload2's {@link MultipartInput}, headers in UTF-8. */
    static MultipartOutcome fileUpload2(InputStream body, String boundary, int maxHeaderSize, int bufferSize)
            throws IOException {
        List<Part> parts = new ArrayList<>();
        MultipartInput input = MultipartInput.builder().setInputStream(body)
                .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
                .setBufferSize(bufferSize).setPartHeaderSizeMax(maxHeaderSize).get();
        input.setHeaderCharset(StandardCharsets.UTF_8);
        try {
            boolean next = input.skipPreamble();
            while (next) {
                PartHeaders headers = PartHeaders.parse(input.readHeaders());
                byte[] content = input.newInputStream().readAllBytes();
                next = input.readBoundary();
                parts.add(new Part(ParsedPart.headerMap(headers), content));
            }
            return new MultipartOutcome(parts, Failure.NONE);
        } catch (FileUploadSizeException e) {
            return new MultipartOutcome(parts, Failure.TOO_LARGE);
        } catch (IOException e) {
            return new MultipartOutcome(parts, Failure.MALFORMED);
        }
    }
}
