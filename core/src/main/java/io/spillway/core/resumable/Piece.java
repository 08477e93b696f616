package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;

/**
 * How one kind of chunk is checked and placed by {@link ResumableUploads}: a Content-Range slice
 * ({@link RangePiece}) or bytes at the stored offset ({@link AppendPiece}).
 */
interface Piece {
    /** Checks the request against the state; runs before staging and again before commit. */
    void precheck(UploadState state) throws UploadRejectedException;

    /** The most bytes the body may have. */
    long limit(UploadState state);

    /** The bytes the body will probably need on disk. */
    long expectedBytes(UploadState state);

    /** A digest to compute while staging, or null. */
    String digestAlgorithm();

    /** The span the staged bytes cover, or a rejection. */
    ByteRange resolve(UploadState state, StagedBody staged) throws UploadRejectedException;

    /** Whether the request broke off (its kept bytes are committed, then it fails). */
    boolean interrupted(StagedBody staged);

    /**
     * This piece in a request that took the upload over from a writer that was still receiving
     * (lock release): that writer kept what it had received, so bytes the client now sends again
     * may lie behind the stored offset; they are compared with the stored ones, never written twice.
     */
    default Piece afterTakeOver() {
        return this;
    }

    /** The part of the span still to be written (bytes stored already are only compared). */
    default ByteRange toWrite(UploadState state, ByteRange span) {
        return span;
    }

    /** The upload's length once this piece is stored: the state's, unless the piece tells it. */
    default long totalAfter(UploadState state, ByteRange span, StagedBody staged) {
        return state.total();
    }
}
