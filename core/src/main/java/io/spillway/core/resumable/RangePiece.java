package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;

/** A Content-Range slice: its span is given by the range, resolved against the body's length. */
record RangePiece(ContentRange range, long declaredLength) implements Piece {
    @Override
    public void precheck(UploadState state) throws UploadRejectedException {
        if (range.total() != state.total()) {
            throw new UploadRejectedException(409, "total length changed from " + state.total() + " to "
                    + range.total());
        }
    }

    @Override
    public long limit(UploadState state) {
        return range.inclusiveLength();
    }

    @Override
    public long expectedBytes(UploadState state) {
        return range.inclusiveLength();
    }

    @Override
    public String digestAlgorithm() {
        return null;
    }

    /**
     * A complete body, or, when a newer request superseded this one, the prefix that arrived
     * (kept, so that the resuming client need not send it again). A body that broke off by
     * itself is discarded: the client could not know which bytes a proxy delivered.
     */
    @Override
    public ByteRange resolve(UploadState state, StagedBody staged) throws UploadRejectedException {
        if (staged.overflowed()) {
            throw UploadRejectedException.badRequest("body is longer than Content-Range " + range);
        }
        if (staged.superseded() && !range.accepts(staged.length())) {
            return new ByteRange(range.first(), Math.min(range.first() + staged.length(), state.total()));
        }
        if (staged.interruption() != null) {
            throw new UploadRejectedException(400, "request body ended early; chunk discarded",
                    staged.interruption());
        }
        return range.span(staged.length());
    }

    @Override
    public boolean interrupted(StagedBody staged) {
        return staged.superseded() && !range.accepts(staged.length());
    }
}
