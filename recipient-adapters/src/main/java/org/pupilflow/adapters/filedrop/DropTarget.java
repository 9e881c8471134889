package org.pupilflow.adapters.filedrop;

import java.io.IOException;

/**
 * Where file drops are written: a directory the recipient reads, locally or on an SFTP server.
 *
 * <p>Contract of {@link #put}: atomic. After it returns, {@code fileName} holds exactly
 * {@code content}; if it throws, {@code fileName} is as it was before (absent, or the previous
 * file), never partly written. An existing file of that name is replaced. Work in progress lives
 * under a temporary name starting with a dot and ending {@code .part}, which readers must ignore;
 * a crash can leave one behind, never a partial file under a final name. (One documented
 * exception: {@link SftpTarget} on a server without {@code posix-rename@openssh.com} removes the old
 * file before renaming, so a failure at that moment leaves the name absent, still never partial.)
 */
public interface DropTarget {

    /**
     * @param fileName a plain file name of {@code [A-Za-z0-9._-]}, not starting with a dot
     * @throws IllegalArgumentException if the name is not a plain file name
     * @throws IOException              if the file could not be written; nothing changed under {@code fileName}
     */
    void put(String fileName, byte[] content) throws IOException;

    /** Where files go, for logs (no secrets). */
    String describe();
}
