package org.pupilflow.adapters.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Drops files into a directory on an SFTP server (Apache MINA SSHD client), one connection per
 * {@link #put}, closed before it returns.
 *
 * <p>The server must present the pinned host key ({@link SftpSettings#hostKey()}); the client offers
 * only that key's signature algorithms, so a server with several host keys shows the pinned one,
 * and any other key ends the connection before the login is sent. The user's {@code ~/.ssh}
 * (config, keys, known_hosts) is never read.
 *
 * <p>Upload: the content goes to a hidden temporary name in the remote directory
 * ({@code .<name>.<random>.part}), is fsynced when the server offers {@code fsync@openssh.com},
 * then renamed over the final name:
 * <ul>
 * <li>with {@code posix-rename@openssh.com} (OpenSSH and most servers): one atomic rename(2) that
 * replaces an existing file, so readers see the old file or the new one;</li>
 * <li>without it: plain SFTP rename refuses an existing target, so an existing file is removed
 * first. Between the remove and the rename the final name is briefly absent (never partial); a
 * failure in that window leaves it absent until the next put, and the manifest-last order of
 * {@link FileDrop} keeps readers from acting on a CSV without its manifest.</li>
 * </ul>
 * On failure the temporary file is removed if the connection still allows it; after a dropped
 * connection it stays behind as a dot-file for housekeeping, never under the final name.
 */
public final class SftpTarget implements DropTarget {

    private final SftpSettings settings;
    private final PublicKey hostKey;
    private final KeyPair clientKey;

    /**
     * @throws IllegalArgumentException if the private key file cannot be read
     */
    public SftpTarget(SftpSettings settings) {
        this.settings = settings;
        this.hostKey = settings.pinnedHostKey();
        this.clientKey = settings.privateKey() == null ? null : loadKey(settings);
    }

    @Override
    public void put(String fileName, byte[] content) throws IOException {
        String name = DropFileNames.requirePlain(fileName);
        SshClient client = newClient();
        client.start();
        try (ClientSession session = client.connect(settings.username(), settings.host(), settings.port())
                .verify(settings.connectTimeout()).getSession()) {
            if (clientKey != null) {
                session.addPublicKeyIdentity(clientKey);
            } else {
                session.addPasswordIdentity(settings.password());
            }
            session.auth().verify(settings.authTimeout());
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                upload(sftp, name, content);
            }
        } catch (IOException e) {
            throw new IOException("SFTP put of " + name + " to " + describe() + " failed: " + e.getMessage(), e);
        } finally {
            client.stop();
        }
    }

    private void upload(SftpClient sftp, String name, byte[] content) throws IOException {
        String finalPath = remotePath(name);
        String temporaryPath = remotePath(DropFileNames.temporary(name));
        boolean created = false;
        try {
            try (OutputStream out = sftp.write(temporaryPath, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive)) {
                created = true;
                out.write(content);
            } // close() waits for every write's acknowledgement and throws if one failed
            fsyncIfOffered(sftp, temporaryPath);
            replace(sftp, temporaryPath, finalPath);
        } catch (IOException | RuntimeException e) {
            if (created && sftp.isOpen()) {
                try {
                    sftp.remove(temporaryPath);
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /** The remote analogue of the local fsync before rename; skipped where the server cannot do it. */
    private static void fsyncIfOffered(SftpClient sftp, String path) throws IOException {
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync.isSupported()) {
            try (SftpClient.CloseableHandle handle = sftp.open(path, SftpClient.OpenMode.Write)) {
                fsync.fsync(handle);
            }
        }
    }

    private static void replace(SftpClient sftp, String temporaryPath, String finalPath) throws IOException {
        OpenSSHPosixRenameExtension posixRename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posixRename.isSupported()) {
            posixRename.posixRename(temporaryPath, finalPath);
            return;
        }
        try {
            sftp.remove(finalPath);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
        sftp.rename(temporaryPath, finalPath);
    }

    private String remotePath(String name) {
        String directory = settings.remoteDirectory();
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    private SshClient newClient() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        List<NamedFactory<Signature>> allSignatures = client.getSignatureFactories();
        // Host key negotiation picks the first of the client's algorithms the server has a key for:
        // offering only the pinned key's algorithms makes a multi-key server present the pinned key.
        Set<String> pinnedAlgorithms = Set.copyOf(KeyUtils.getAllEquivalentKeyTypes(KeyUtils.getKeyType(hostKey)));
        client.setSignatureFactories(allSignatures.stream().filter(factory -> pinnedAlgorithms.contains(factory.getName())).toList());
        client.setUserAuthFactories(clientKey != null
                ? List.of(new UserAuthPublicKeyFactory(allSignatures)) // the client key's type need not match the host key's
                : List.of(UserAuthPasswordFactory.INSTANCE, UserAuthKeyboardInteractiveFactory.INSTANCE));
        return client;
    }

    private static KeyPair loadKey(SftpSettings settings) {
        try (InputStream in = Files.newInputStream(settings.privateKey())) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(settings.privateKey().toString()), in, null);
            Iterator<KeyPair> iterator = keys == null ? null : keys.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new IllegalArgumentException("No private key in " + settings.privateKey());
            }
            return iterator.next();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read SFTP private key " + settings.privateKey() + " (unencrypted OpenSSH or PEM expected): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "sftp://" + settings.username() + "@" + settings.host() + ":" + settings.port() + " directory " + settings.remoteDirectory()
                + " (host key " + KeyUtils.getFingerPrint(hostKey) + ")";
    }
}
