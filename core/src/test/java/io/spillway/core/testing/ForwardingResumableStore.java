package io.spillway.core.testing;

import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.WriterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ResumableStore} that hands every operation to another one, so that a test overrides
 * only the operation it wants to fail, slow down or observe.
 */
public class ForwardingResumableStore implements ResumableStore {

    private final ResumableStore delegate;

    public ForwardingResumableStore(ResumableStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void create(String id, String stateJson) throws IOException {
        delegate.create(id, stateJson);
    }

    @Override
    public Optional<StoredState> readState(String id) throws IOException {
        return delegate.readState(id);
    }

    @Override
    public Optional<String> replaceState(String id, String expectedVersion, String stateJson) throws IOException {
        return delegate.replaceState(id, expectedVersion, stateJson);
    }

    @Override
    public void write(String id, long offset, InputStream bytes, long length) throws IOException {
        delegate.write(id, offset, bytes, length);
    }

    @Override
    public InputStream read(String id, long offset, long length) throws IOException {
        return delegate.read(id, offset, length);
    }

    @Override
    public long storedExtent(String id) throws IOException {
        return delegate.storedExtent(id);
    }

    @Override
    public void discardBeyond(String id, long extent) throws IOException {
        delegate.discardBeyond(id, extent);
    }

    @Override
    public Path materialize(String id) throws IOException {
        return delegate.materialize(id);
    }

    @Override
    public List<StoredUpload> list() throws IOException {
        return delegate.list();
    }

    @Override
    public void delete(String id) throws IOException {
        delegate.delete(id);
    }

    @Override
    public long usableSpace() throws IOException {
        return delegate.usableSpace();
    }

    @Override
    public void recordEnding(String id, String json) throws IOException {
        delegate.recordEnding(id, json);
    }

    @Override
    public Optional<String> readEnding(String id) throws IOException {
        return delegate.readEnding(id);
    }

    @Override
    public List<Ending> listEndings() throws IOException {
        return delegate.listEndings();
    }

    @Override
    public void forgetEnding(String id) throws IOException {
        delegate.forgetEnding(id);
    }

    @Override
    public WriterRegistry writers() {
        return delegate.writers();
    }

    @Override
    public boolean shared() {
        return delegate.shared();
    }
}
