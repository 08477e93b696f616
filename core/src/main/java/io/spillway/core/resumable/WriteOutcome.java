package io.spillway.core.resumable;

/**
 * The result of storing one chunk.
 *
 * @param state     the upload's state after the chunk
 * @param completed true for exactly one request per upload: the one whose bytes completed it and
 *                  that must now hand the file to the application
 */
public record WriteOutcome(UploadState state, boolean completed) {
}
