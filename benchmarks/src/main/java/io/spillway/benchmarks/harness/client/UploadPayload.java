package io.spillway.benchmarks.harness.client;

import java.nio.charset.StandardCharsets;

/**
 * One multipart upload: a single file part whose content is {@code contentLength} bytes of the
 * {@link SeededStream} of {@code seed}.
 *
 * @param seed             the content's seed
 * @param contentLength    the file's size in bytes
 * @param digestWholeBody  true to digest the whole request body (what the raw-body server R
 *                         digests), false to digest only the file's content (what the servers that
 *                         parse the body digest)
 */
public record UploadPayload(long seed, long contentLength, boolean digestWholeBody) {

    /** The multipart boundary, derived from the seed (random enough never to occur in the content). */
    public String boundary() {
        return "spillway-bench-" + Long.toHexString(SeededStream.mix(seed)) + Long.toHexString(SeededStream.mix(~seed));
    }

    /** The {@code Content-Type} header of the request. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary();
    }

    /** The bytes before the file's content: the boundary and the part's headers. */
    public byte[] head() {
        String head = "--" + boundary() + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"payload-" + seed + ".bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes after the file's content: the closing boundary. */
    public byte[] tail() {
        return ("\r\n--" + boundary() + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The length of the whole request body. */
    public long bodyLength() {
        return head().length + contentLength + tail().length;
    }

    /** The number of bytes the server is expected to report having digested. */
    public long digestedLength() {
        return digestWholeBody ? bodyLength() : contentLength;
    }
}
