/**
 * The contract between the filter and the resumable protocols it answers itself: what a protocol
 * is ({@link io.spillway.servlet.protocol.UploadProtocol}), what it hands back
 * ({@link io.spillway.servlet.protocol.CompletedUpload}, seen by the application as an
 * {@link io.spillway.servlet.protocol.AssembledRequest}) and how it reports progress
 * ({@link io.spillway.servlet.protocol.UploadTracking}).
 *
 * <p>Dependencies go one way: {@code io.spillway.servlet} (the filter) uses this package and
 * {@code io.spillway.servlet.resumable} (the protocols); the protocols use this package only;
 * this package uses neither. A new protocol therefore needs nothing of the filter's internals.
 */
package io.spillway.servlet.protocol;
