package io.spillway.benchmarks.harness.client;

/**
 * What became of one upload, seen from the client.
 *
 * @param status    the HTTP status, or 0 when no response arrived (connection reset, server died)
 * @param nanos     time from sending the request to receiving the whole response
 * @param verified  true when the status was 200 and the server's byte count and SHA-256 match
 *                  what was sent
 * @param detail    why the upload failed, empty when it was verified
 * @param route     the route Spillway reported (BUFFERED, STREAMED), empty for other servers
 */
public record UploadOutcome(int status, long nanos, boolean verified, String detail, String route) {

    /** A short label for a failure, used to group failures in the report: {@code 503}, {@code no response}. */
    public String failureLabel() {
        if (verified) {
            return "ok";
        }
        if (status == 0) {
            return "no response";
        }
        return status == 200 ? "200 with a wrong digest" : Integer.toString(status);
    }
}
