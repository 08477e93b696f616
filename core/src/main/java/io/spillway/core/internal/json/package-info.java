/**
 * Internal, not API: Spillway's own small JSON reader and writer, for the documents it stores
 * (resumable upload state, endings) and the JSON it answers (health, progress, errors).
 *
 * <p>It is public only because other Spillway modules (the filter, the S3 store, the benchmarks)
 * share it. It may change or disappear in any release without notice; applications should write
 * their JSON themselves or with the library they already use, as the sample webapp does. What is
 * stable is the JSON that crosses HTTP (documented in the README), not this code.
 */
package io.spillway.core.internal.json;
