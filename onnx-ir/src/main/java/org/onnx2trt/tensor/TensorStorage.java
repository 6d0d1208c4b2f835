package org.onnx2trt.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where a tensor's element bytes come from. {@link #bytes()} is a read-only little-endian view; for
 * raw and external data it aliases the model's memory-mapped file, so reading weights copies nothing.
 */
public sealed interface TensorStorage {

    /** The element bytes, read-only, little-endian, positioned at 0. */
    ByteBuffer bytes();

    /** The number of bytes, known without touching the data. */
    long byteLength();

    /** Bytes held in memory: raw_data of the model file (often mapped), or data made by a rewrite. */
    record InMemory(ByteBuffer buffer) implements TensorStorage {
        public InMemory {
            buffer = buffer.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public ByteBuffer bytes() {
            return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long byteLength() {
            return buffer.remaining();
        }
    }

    /** Heap bytes a tensor owns after its first write; {@link #writable()} hands them out for writing. */
    record Owned(ByteBuffer buffer) implements TensorStorage {
        public ByteBuffer writable() {
            return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public ByteBuffer bytes() {
            return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long byteLength() {
            return buffer.remaining();
        }
    }

    /** Bytes in a side file, mapped on first use. */
    final class External implements TensorStorage {
        private final ExternalLocation location;
        private final ExternalDataMapper mapper;
        private ByteBuffer mapped;

        public External(ExternalLocation location, ExternalDataMapper mapper) {
            this.location = location;
            this.mapper = mapper;
        }

        public ExternalLocation location() {
            return location;
        }

        @Override
        public synchronized ByteBuffer bytes() {
            if (mapped == null) {
                mapped = mapper.map(location).asReadOnlyBuffer();
            }
            return mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long byteLength() {
            return location.length();
        }
    }

    /** Maps a byte range of a side file into memory. */
    @FunctionalInterface
    interface ExternalDataMapper {
        ByteBuffer map(ExternalLocation location);
    }
}
