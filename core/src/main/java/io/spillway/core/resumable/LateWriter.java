package io.spillway.core.resumable;

/**
 * The wake-up action of a request that may write an upload only where no other request writes
 * it: one whose body arrived before it is applied and whose connection failed on the way (a
 * non-blocking intake that spooled part of a body). Its client is gone and may already be
 * resuming with a newer request, so it keeps its bytes only when it supersedes nobody, here or on
 * another server; otherwise it is refused with 409 and keeps nothing.
 */
@FunctionalInterface
public interface LateWriter extends Runnable {
}
