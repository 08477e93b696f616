package io.spillway.core.resumable;

import io.spillway.core.storage.ResumableStore;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The uploads of one store as the engine, the sweep and the start-up recovery share them: each
 * upload's commit lock, its state as stored, the index of resume keys, and the one way an upload
 * ends (the ending is recorded first, then the upload is deleted).
 */
final class StoredUploads {

    private static final System.Logger LOG = System.getLogger(ResumableUploads.class.getName());
    private static final int STRIPES = 64;

    private final ResumableStore store;
    private final Endings endings;
    private final ReentrantLock[] commitLocks = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<String, String> byResumeKey = new ConcurrentHashMap<>();

    StoredUploads(ResumableStore store, Endings endings) {
        this.store = store;
        this.endings = endings;
        for (int i = 0; i < STRIPES; i++) {
            commitLocks[i] = new ReentrantLock();
        }
    }

    ResumableStore store() {
        return store;
    }

    Endings endings() {
        return endings;
    }

    /** The commit lock of an upload (striped: several uploads share one). */
    ReentrantLock lock(String id) {
        return commitLocks[Math.floorMod(id.hashCode(), STRIPES)];
    }

    /** The upload's state, or empty when there is none or it cannot be read. */
    Optional<UploadState> readState(String id) {
        try {
            return store.readState(id).map(s -> UploadState.fromJson(s.json()));
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    /** Indexes an upload under its resume key. */
    void rememberResumeKey(String resumeKey, String id) {
        byResumeKey.put(resumeKey, id);
    }

    /** The id indexed under a resume key, or null. */
    String idOfResumeKey(String resumeKey) {
        return byResumeKey.get(resumeKey);
    }

    /** Drops the index entry of a resume key, if it still names this id. */
    void forgetResumeKey(String resumeKey, String id) {
        byResumeKey.remove(resumeKey, id);
    }

    /**
     * Deletes an upload and remembers why. The ending is recorded first: a request that reads the
     * state without the lock must find either the state or the ending, never neither (which
     * answered a retried last chunk with 404 instead of 409).
     */
    void end(String id, UploadGoneException.Reason why) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            readState(id).ifPresent(s -> endings.add(id, why, s.total(), s.owner()));
            discard(id);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes an upload without recording an ending, and forgets its resume key. Never throws. */
    void discard(String id) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            deleteQuietly(id);
            byResumeKey.values().remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes an upload's state and bytes; a failure is logged. */
    void deleteQuietly(String id) {
        try {
            store.delete(id);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete resumable upload " + id, e);
        }
    }
}
