package io.spillway.core.progress;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of an upload's progress, as {@code UploadProgressServlet} answers it.
 *
 * @param id              the progress id
 * @param state           where the upload stands
 * @param bytesReceived   body bytes received so far (for a resumable upload: stored plus arriving)
 * @param totalBytes      the expected total, or -1 when unknown (chunked transfer encoding)
 * @param route           BUFFERED, STREAMED, or null before the route is decided
 * @param bytesPerSecond  speed over the last {@value UploadProgress#SPEED_WINDOW_MILLIS} ms
 * @param etaSeconds      seconds left at that speed, or -1 when it cannot be told
 * @param failureStatus   the HTTP status of a failed upload, else 0
 * @param failureReason   why it failed, else null
 * @param startedAt       when tracking started
 * @param updatedAt       when a byte last arrived or the state last changed
 */
public record ProgressSnapshot(String id, UploadState state, long bytesReceived, long totalBytes, String route,
                               long bytesPerSecond, long etaSeconds, int failureStatus, String failureReason,
                               Instant startedAt, Instant updatedAt) {

    /** The JSON object: unknown figures are {@code null}, the reason only when failed. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("state", state.label());
        json.put("bytesReceived", bytesReceived);
        json.put("totalBytes", totalBytes < 0 ? null : totalBytes);
        json.put("route", route);
        json.put("bytesPerSecond", bytesPerSecond);
        json.put("etaSeconds", etaSeconds < 0 ? null : etaSeconds);
        if (state == UploadState.FAILED) {
            json.put("status", failureStatus == 0 ? null : failureStatus);
            json.put("reason", failureReason);
        }
        json.put("startedAt", startedAt.toString());
        json.put("updatedAt", updatedAt.toString());
        return json;
    }
}
