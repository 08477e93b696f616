package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;

/**
 * Bytes at the stored offset (tus, IETF). {@code last}: the body ends the upload (IETF
 * {@code Upload-Complete: ?1}); {@code maxFileSize} bounds an upload of unknown length.
 * {@code mayRepeat}: the request took over from a writer that kept bytes this one may send again
 * (see {@link Piece#afterTakeOver}), so an offset behind the stored one is accepted.
 */
record AppendPiece(long offset, long declaredLength, Checksum checksum, boolean last, long maxFileSize,
                   boolean mayRepeat) implements Piece {

    AppendPiece(long offset, long declaredLength, Checksum checksum, boolean last, long maxFileSize) {
        this(offset, declaredLength, checksum, last, maxFileSize, false);
    }

    @Override
    public Piece afterTakeOver() {
        return new AppendPiece(offset, declaredLength, checksum, last, maxFileSize, true);
    }

    @Override
    public ByteRange toWrite(UploadState state, ByteRange span) {
        long stored = Math.min(span.end(), Math.max(span.start(), state.offset()));
        return new ByteRange(stored, span.end());
    }

    @Override
    public void precheck(UploadState state) throws UploadRejectedException {
        if (offset != state.offset() && !(mayRepeat && offset < state.offset())) {
            throw new UploadRejectedException(409, "Upload-Offset " + offset + " does not match the stored offset "
                    + state.offset());
        }
        if (declaredLength > limit(state)) {
            throw UploadRejectedException.tooLarge(state.lengthKnown()
                    ? "body of " + declaredLength + " bytes exceeds the upload length " + state.total()
                            + " at offset " + offset
                    : "upload of " + (offset + declaredLength) + " bytes exceeds maxFileSize of " + maxFileSize);
        }
        if (last && state.lengthKnown() && declaredLength >= 0 && offset + declaredLength != state.total()) {
            throw UploadRejectedException.badRequest("this request completes the upload at "
                    + (offset + declaredLength) + " bytes, but its length is " + state.total());
        }
    }

    @Override
    public long limit(UploadState state) {
        return (state.lengthKnown() ? state.total() : maxFileSize) - offset;
    }

    @Override
    public long expectedBytes(UploadState state) {
        if (declaredLength >= 0) {
            return declaredLength;
        }
        return state.lengthKnown() ? state.total() - offset : 0;
    }

    @Override
    public String digestAlgorithm() {
        return checksum == null ? null : checksum.algorithm();
    }

    @Override
    public ByteRange resolve(UploadState state, StagedBody staged) throws UploadRejectedException {
        if (staged.overflowed()) {
            throw UploadRejectedException.tooLarge(state.lengthKnown()
                    ? "body exceeds the upload length " + state.total()
                    : "upload exceeds maxFileSize of " + maxFileSize);
        }
        if (checksum != null) {
            if (interrupted(staged)) {
                throw new UploadRejectedException(400, "request body ended early; chunk discarded",
                        staged.interruption());
            }
            if (!checksum.matches(staged.digest())) {
                throw new UploadRejectedException(460, "checksum mismatch");
            }
        }
        if (last && !interrupted(staged) && state.lengthKnown() && offset + staged.length() != state.total()) {
            throw UploadRejectedException.badRequest("this request completes the upload at "
                    + (offset + staged.length()) + " bytes, but its length is " + state.total());
        }
        return new ByteRange(offset, offset + staged.length());
    }

    @Override
    public boolean interrupted(StagedBody staged) {
        return staged.interruption() != null || declaredLength >= 0 && staged.length() < declaredLength
                || staged.superseded() && declaredLength < 0;
    }

    @Override
    public long totalAfter(UploadState state, ByteRange span, StagedBody staged) {
        return last && !state.lengthKnown() && !interrupted(staged) ? span.end() : state.total();
    }
}
