package io.spillway.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where resumable uploads keep their bytes and their state, behind as few operations as a shared
 * object store can offer too.
 *
 * <p>An upload is a small JSON state document plus a byte space of its declared length, written
 * piece by piece at any offset. The state carries an opaque version; every change after creation
 * is a compare-and-set on it ({@link #replaceState}), so that several servers may share one store
 * (an object store's conditional writes, {@code If-Match}/{@code If-None-Match}). Bytes are always
 * made durable before the state that records them, so a state never claims bytes the store does not
 * hold; a crash can only leave bytes that no state records, which {@link #discardBeyond} drops.
 *
 * <p>Every id must be a server-issued id ({@link UploadIds#isValid}); implementations refuse
 * anything else with {@link IllegalArgumentException} before touching storage.
 */
public interface ResumableStore {

    /**
     * Creates an upload with its first state document.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the id is taken
     */
    void create(String id, String stateJson) throws IOException;

    /** The current state document and its version, or empty when the upload does not exist. */
    Optional<StoredState> readState(String id) throws IOException;

    /**
     * Replaces the state document if its version is still {@code expectedVersion}.
     *
     * @return the new version, or empty when the state changed meanwhile (or is gone)
     */
    Optional<String> replaceState(String id, String expectedVersion, String stateJson) throws IOException;

    /**
     * Stores {@code length} bytes read from {@code bytes} at {@code offset} of the upload's byte
     * space. The bytes are durable when this returns.
     *
     * @throws java.io.EOFException when {@code bytes} ends before {@code length} bytes
     */
    void write(String id, long offset, InputStream bytes, long length) throws IOException;

    /** Reads back stored bytes, for comparing a retransmission with what was received. */
    InputStream read(String id, long offset, long length) throws IOException;

    /**
     * How far the stored bytes reach: no byte at or after this offset is held. A state's ranges
     * are clipped to it after a crash.
     */
    long storedExtent(String id) throws IOException;

    /**
     * Drops stored bytes at and after {@code extent}: bytes no state records, left by a crash or a
     * failed write between data and state. Called only while no other writer can commit the upload.
     */
    void discardBeyond(String id, long extent) throws IOException;

    /**
     * The assembled upload as a local file the application can read (and move). The file stays
     * valid until {@link #delete}; an object store downloads or composes it here.
     */
    Path materialize(String id) throws IOException;

    /** Every upload the store holds, including ones whose state is missing (orphans). */
    List<StoredUpload> list() throws IOException;

    /** Deletes an upload's state and bytes; the state goes first. Deleting a missing upload is no error. */
    void delete(String id) throws IOException;

    /** Bytes that may still be written before the store is full. */
    long usableSpace() throws IOException;

    /**
     * Remembers durably that an upload ended (completed, terminated or expired), as a small JSON
     * document that replaces an earlier one for the same id. It outlives a restart and is seen by
     * every server sharing the store, so that a late request for the upload gets a precise answer
     * (410 Gone, or "complete") instead of 404; the engine forgets it after {@code uploadExpiry}.
     */
    void recordEnding(String id, String json) throws IOException;

    /** The ending remembered for an upload, or empty. */
    Optional<String> readEnding(String id) throws IOException;

    /** Every remembered ending, with the time it was recorded, for the sweeper. */
    List<Ending> listEndings() throws IOException;

    /** Forgets an ending. Forgetting a missing one is no error. */
    void forgetEnding(String id) throws IOException;

    /**
     * How writers of this store on other servers are found and asked to let go of an upload; a
     * store of one server's own has nobody else to ask.
     */
    default WriterRegistry writers() {
        return WriterRegistry.NONE;
    }

    /**
     * Whether other servers use this store at the same time (an object store behind a load
     * balancer). Then a complete upload found at start-up may be one that another server is
     * delivering right now, and is not reopened at once (see {@code ResumableUploads}).
     */
    default boolean shared() {
        return false;
    }

    /**
     * A state document and the version to pass to {@link #replaceState}.
     *
     * @param json    the document
     * @param version opaque; changes whenever the document changes
     */
    record StoredState(String json, String version) {
    }

    /**
     * One upload as listed.
     *
     * @param id           the upload id
     * @param lastModified when its state or bytes last changed
     * @param hasState     false for an orphan (bytes without a state document)
     */
    record StoredUpload(String id, Instant lastModified, boolean hasState) {
    }

    /**
     * One remembered ending as listed.
     *
     * @param id         the upload id
     * @param recordedAt when the ending was recorded
     */
    record Ending(String id, Instant recordedAt) {
    }
}
