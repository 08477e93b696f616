package io.spillway.core.storage;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Where the servers sharing a store say which of them is writing an upload, and ask each other to
 * let go of one. A request for an upload that a request on another server is writing (a client
 * that lost its connection resumes through another node of the load balancer) writes a release
 * request for that writer; the writer's server looks for release requests at least every second,
 * stops reading, commits what it received and withdraws. This is what lock release (tusd's name
 * for it) needs across servers; within one JVM the engine needs no store for it.
 *
 * <p>Entries are hints, never locks: every change to an upload is still a compare-and-set on its
 * state, so a stale or lost entry can delay a request by the release wait at most and can never
 * let two writers interleave bytes.
 */
public interface WriterRegistry {

    /** The registry of a store no other server uses: nobody else to ask. */
    WriterRegistry NONE = new WriterRegistry() {
        @Override
        public void announce(String id, String writer) {
        }

        @Override
        public void withdraw(String id, String writer) {
        }

        @Override
        public List<String> writers(String id) {
            return List.of();
        }

        @Override
        public void requestRelease(String id, String writer) {
        }

        @Override
        public Set<String> releaseRequests() {
            return Set.of();
        }

        @Override
        public boolean stillAnnounced(String id, String writer) {
            return true;
        }
    };

    /** Records that {@code writer} (a random token of one request) now writes upload {@code id}. */
    void announce(String id, String writer) throws IOException;

    /** Removes the writer's entry and any release request for it. Never throws. */
    void withdraw(String id, String writer);

    /** The writers announced for an upload, on any server. */
    List<String> writers(String id) throws IOException;

    /** Asks {@code writer} to stop writing upload {@code id}. */
    void requestRelease(String id, String writer) throws IOException;

    /** The writers, on any server, that were asked to stop. */
    Set<String> releaseRequests() throws IOException;

    /**
     * Whether {@code writer}'s entry is still there. A request on another server removes the entry
     * of a writer that did not let go within its wait and goes ahead; that writer must then not
     * commit, or it would move the offset under the request that took over.
     */
    boolean stillAnnounced(String id, String writer) throws IOException;
}
