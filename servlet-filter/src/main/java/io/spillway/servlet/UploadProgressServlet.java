package io.spillway.servlet;

import io.spillway.core.progress.ProgressIds;
import io.spillway.core.progress.ProgressSnapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Answers the progress of one upload as JSON, for a browser that polls while it uploads:
 * {@code GET <mapping>?id=<progress id>}.
 *
 * <pre>{"id":"f3c1","state":"receiving","bytesReceived":5242880,"totalBytes":20971520,
 *  "route":"STREAMED","bytesPerSecond":1048576,"etaSeconds":15,"startedAt":"..","updatedAt":".."}</pre>
 *
 * <p>{@code state} is {@code receiving}, {@code assembling}, {@code done} or {@code failed} (then
 * with {@code status} and {@code reason}); {@code totalBytes} and {@code etaSeconds} are null when
 * unknown. {@code 400} for a malformed id, {@code 404} for an unknown or forgotten one (finished
 * uploads stay readable for {@code progressRetention}), {@code 503} when the filter is not running.
 * The progress id is the one the browser chose ({@code X-Progress-Id} header or
 * {@code progressId} query parameter on the upload), the one answered in the upload response's
 * {@code X-Progress-Id} header, or a resumable upload's id.
 */
public class UploadProgressServlet extends FilterJsonServlet {

    private static final long serialVersionUID = 1L;

    @Override
    void answer(MemoryAwareUploadFilter filter, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String id = request.getParameter("id");
        if (!ProgressIds.isValid(id)) {
            JsonResponses.error(response, 400, "id must be 1 to " + ProgressIds.MAX_LENGTH
                    + " characters of A-Z, a-z, 0-9, '_' and '-'");
            return;
        }
        Optional<ProgressSnapshot> snapshot = filter.progress().snapshot(id);
        if (snapshot.isEmpty()) {
            JsonResponses.error(response, 404, "no upload with this id (unknown, or finished and forgotten)");
            return;
        }
        JsonResponses.send(response, 200, snapshot.get().toJson());
    }
}
