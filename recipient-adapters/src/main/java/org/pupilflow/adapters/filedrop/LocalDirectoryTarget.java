package org.pupilflow.adapters.filedrop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Drops files into a local (or mounted) directory: write a hidden temporary file in the same
 * directory, fsync it, then rename it over the final name ({@code ATOMIC_MOVE}, which on POSIX
 * is rename(2): readers see the old file or the new one, never a mix), then fsync the directory so
 * the rename survives a crash. The temporary file gets the process's default permissions (umask),
 * like any other file the service writes there.
 */
public final class LocalDirectoryTarget implements DropTarget {

    private final Path directory;
    private final UnaryOperator<OutputStream> streamWrapper;

    /** @param directory an existing directory; it is not created (a missing mount must fail, not fill the local disk) */
    public LocalDirectoryTarget(Path directory) {
        this(directory, UnaryOperator.identity());
    }

    /** Test seam: {@code streamWrapper} wraps the temporary file's stream, e.g. to fail midway. */
    LocalDirectoryTarget(Path directory, UnaryOperator<OutputStream> streamWrapper) {
        this.directory = directory.toAbsolutePath().normalize();
        this.streamWrapper = Objects.requireNonNull(streamWrapper, "streamWrapper");
    }

    @Override
    public void put(String fileName, byte[] content) throws IOException {
        Path target = directory.resolve(DropFileNames.requirePlain(fileName));
        if (!Files.isDirectory(directory)) {
            throw new IOException("Drop directory " + directory + " does not exist or is not a directory");
        }
        Path temporary = directory.resolve(DropFileNames.temporary(fileName));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = streamWrapper.apply(Channels.newOutputStream(channel));
                out.write(content);
                out.flush();
                // Data on disk before the rename makes it visible: otherwise a crash could leave an empty final file.
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory();
    }

    /** Persists the rename itself. Not possible everywhere (Windows cannot open a directory), so best effort. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // The file is complete and renamed; only its durability across a power cut is left to the file system.
        }
    }

    @Override
    public String describe() {
        return "local directory " + directory;
    }
}
