package org.pupilflow.adapters.filedrop;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * How to reach one recipient's SFTP drop directory.
 *
 * @param host            server name or address
 * @param port            SSH port; 0 means 22
 * @param username        login name
 * @param password        password, or null when logging in with {@code privateKey}
 * @param privateKey      unencrypted private key file (OpenSSH or PEM), or null when logging in with {@code password}
 * @param hostKey         the server's host key as an OpenSSH public key line ({@code ecdsa-sha2-nistp256 AAAA...},
 *                        as {@code ssh-keyscan -t ecdsa host} prints it after the host name). Pinned: the client
 *                        connects to this key only. Supported types are those of the SSH library on the
 *                        classpath: ECDSA and RSA always; {@code ssh-ed25519} only with BouncyCastle or
 *                        net.i2p EdDSA present
 * @param remoteDirectory directory files are dropped in, absolute or relative to the login directory; null or blank means the login directory
 * @param connectTimeout  TCP connect plus key exchange; null means 10 seconds
 * @param authTimeout     authentication; null means 10 seconds
 */
public record SftpSettings(String host, int port, String username, String password, Path privateKey, String hostKey,
                           String remoteDirectory, Duration connectTimeout, Duration authTimeout) {

    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public SftpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("SFTP host is required");
        }
        port = port == 0 ? DEFAULT_PORT : port;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SFTP port must be 1-65535, was " + port);
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("SFTP username is required");
        }
        if ((password == null) == (privateKey == null)) {
            throw new IllegalArgumentException("SFTP login needs exactly one of password and private key");
        }
        remoteDirectory = remoteDirectory == null || remoteDirectory.isBlank() ? "." : remoteDirectory.strip();
        connectTimeout = positiveOrDefault(connectTimeout, "connectTimeout");
        authTimeout = positiveOrDefault(authTimeout, "authTimeout");
        parseHostKey(hostKey); // fail at configuration time, not at the first upload
    }

    /** Password login, port 22, default timeouts. */
    public static SftpSettings withPassword(String host, String username, String password, String hostKey, String remoteDirectory) {
        return new SftpSettings(host, DEFAULT_PORT, username, password, null, hostKey, remoteDirectory, null, null);
    }

    /** Key login, port 22, default timeouts. */
    public static SftpSettings withPrivateKey(String host, String username, Path privateKey, String hostKey, String remoteDirectory) {
        return new SftpSettings(host, DEFAULT_PORT, username, null, privateKey, hostKey, remoteDirectory, null, null);
    }

    public SftpSettings withPort(int newPort) {
        return new SftpSettings(host, newPort, username, password, privateKey, hostKey, remoteDirectory, connectTimeout, authTimeout);
    }

    /** The pinned host key. */
    public PublicKey pinnedHostKey() {
        return parseHostKey(hostKey);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "SftpSettings[" + username + "@" + host + ":" + port + " dir=" + remoteDirectory
                + (password != null ? " password=****" : " privateKey=" + privateKey) + " hostKey=" + hostKey
                + " connectTimeout=" + connectTimeout + " authTimeout=" + authTimeout + "]";
    }

    private static PublicKey parseHostKey(String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("The server's host key is required: SFTP drops never trust an unknown server");
        }
        String type = line.strip().split("\\s+")[0];
        try {
            PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip()).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("Not an OpenSSH public key line: '" + line + "'");
            }
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot use host key '" + line + "' (" + e.getMessage() + ")"
                    + (type.contains("ed25519") ? ": Ed25519 needs BouncyCastle (bcprov) or net.i2p eddsa on the classpath;"
                    + " pin the server's ECDSA or RSA key instead (ssh-keyscan -t ecdsa <host>)" : ""), e);
        }
    }

    private static Duration positiveOrDefault(Duration timeout, String name) {
        if (timeout == null) {
            return DEFAULT_TIMEOUT;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + timeout);
        }
        return timeout;
    }
}
