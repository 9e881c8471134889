package org.pupilflow.adapters.filedrop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pupilflow.sharing.PupilDisclosure;

/** Against a real in-process SFTP server (Apache MINA SSHD) on 127.0.0.1, rooted in a temporary directory. */
class SftpTargetTest {

    private static final String USER = "youth-support";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path root;
    @TempDir
    Path keys;

    private SshServer server;
    private String hostKey;
    private final List<String> serverEvents = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }

    @Test
    void csvAndManifestArriveWithTheManifestsHash() throws Exception {
        startServer(server -> { });
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        FileDrop drop = new FileDrop(new SftpTarget(passwordSettings(hostKey)), "youth-support", NorfolkDisclosures.rule("youth-support").fields());

        DropResult result = drop.drop("0001", batch);

        Path incoming = root.resolve("incoming");
        byte[] csv = Files.readAllBytes(incoming.resolve(result.csvFile()));
        DropManifest manifest = DropManifest.fromJson(Files.readAllBytes(incoming.resolve(result.manifestFile())));
        assertThat(FileDropTest.sha256(csv)).isEqualTo(manifest.sha256()).isEqualTo(result.sha256());
        assertThat(manifest.recordCount()).isEqualTo(batch.size());
        assertThat(manifest.disclosureIds()).isEqualTo(batch.stream().map(PupilDisclosure::getDisclosureId).toList());
        assertThat(names(incoming)).containsExactly(result.csvFile(), result.manifestFile());
        assertThat(serverEvents).noneMatch(event -> event.startsWith("remove")); // posix-rename replaces, nothing is deleted
    }

    @Test
    void putReplacesAnExistingFileWithOneAtomicRename() throws Exception {
        startServer(server -> { });
        SftpTarget target = new SftpTarget(passwordSettings(hostKey));
        target.put("drop.csv", "first version, longer".getBytes(UTF_8));

        target.put("drop.csv", "second".getBytes(UTF_8));

        assertThat(Files.readString(root.resolve("incoming/drop.csv"))).isEqualTo("second");
        assertThat(names(root.resolve("incoming"))).containsExactly("drop.csv");
        assertThat(serverEvents).noneMatch(event -> event.startsWith("remove"));
    }

    @Test
    void withoutPosixRenameAnExistingFileIsRemovedThenReplaced() throws Exception {
        // Advertise fsync only: the client must fall back to remove + rename.
        startServer(server -> SftpModuleProperties.OPENSSH_EXTENSIONS.set(server, "fsync@openssh.com=1"));
        SftpTarget target = new SftpTarget(passwordSettings(hostKey));
        target.put("drop.csv", "first".getBytes(UTF_8));

        target.put("drop.csv", "second".getBytes(UTF_8));

        assertThat(Files.readString(root.resolve("incoming/drop.csv"))).isEqualTo("second");
        assertThat(names(root.resolve("incoming"))).containsExactly("drop.csv");
        assertThat(serverEvents).contains("remove drop.csv");
    }

    @Test
    void aServerPresentingAnotherHostKeyIsRefusedBeforeAnythingIsWritten() throws Exception {
        startServer(server -> { });
        String otherKey = PublicKeyEntry.toString(KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256).getPublic());

        assertThatThrownBy(() -> new SftpTarget(passwordSettings(otherKey)).put("drop.csv", "x".getBytes(UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("drop.csv").hasMessageContaining("Server key did not validate");

        assertThat(names(root.resolve("incoming"))).isEmpty();
        assertThat(serverEvents).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        startServer(server -> { });
        SftpSettings wrong = new SftpSettings("127.0.0.1", server.getPort(), USER, "not-the-password-4711", null, hostKey, "incoming", TIMEOUT, TIMEOUT);

        assertThatThrownBy(() -> new SftpTarget(wrong).put("drop.csv", "x".getBytes(UTF_8))).isInstanceOf(IOException.class)
                .hasMessageContaining("No more authentication methods").hasMessageNotContaining("not-the-password-4711");

        assertThat(names(root.resolve("incoming"))).isEmpty();
    }

    @Test
    void logsInWithAnOpenSshPrivateKeyOfAnotherTypeThanTheHostKey() throws Exception {
        KeyPair clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
        Path keyFile = keys.resolve("id_rsa");
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "pupilflow", null, out);
        }
        startServer(server -> server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic())));
        SftpSettings settings = new SftpSettings("127.0.0.1", server.getPort(), USER, null, keyFile, hostKey, "incoming", TIMEOUT, TIMEOUT);

        new SftpTarget(settings).put("drop.csv", "by key".getBytes(UTF_8));

        assertThat(Files.readString(root.resolve("incoming/drop.csv"))).isEqualTo("by key");
    }

    @Test
    void aServerWithSeveralHostKeysIsCheckedAgainstThePinnedOne() throws Exception {
        KeyPair ecdsa = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        KeyPair rsa = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
        startServer(server -> server.setKeyPairProvider(KeyPairProvider.wrap(ecdsa, rsa)));

        new SftpTarget(passwordSettings(PublicKeyEntry.toString(rsa.getPublic()))).put("rsa.csv", "1".getBytes(UTF_8));
        new SftpTarget(passwordSettings(PublicKeyEntry.toString(ecdsa.getPublic()))).put("ecdsa.csv", "2".getBytes(UTF_8));

        assertThat(names(root.resolve("incoming"))).containsExactly("ecdsa.csv", "rsa.csv");
    }

    @Test
    void aConnectionDroppedMidUploadLeavesNoFinalFileAndARetryDeliversTheWholeBatch() throws Exception {
        AtomicBoolean dropFirstUpload = new AtomicBoolean(true);
        SftpEventListener dropper = new SftpEventListener() {
            @Override
            public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data, int dataOffset,
                                int dataLen, Throwable thrown) throws IOException {
                if (offset + dataLen >= 16 * 1024 && dropFirstUpload.compareAndSet(true, false)) {
                    session.close(true); // the network goes away mid-file
                }
            }
        };
        startServer(server -> { }, dropper);
        List<PupilDisclosure> batch = NorfolkDisclosures.of("youth-support");
        FileDrop drop = new FileDrop(new SftpTarget(passwordSettings(hostKey)), "youth-support", NorfolkDisclosures.rule("youth-support").fields());
        Path incoming = root.resolve("incoming");

        assertThatThrownBy(() -> drop.drop("0001", batch)).isInstanceOf(IOException.class);

        // Only a hidden, partial temporary file may remain; nothing under a final name, no manifest.
        assertThat(names(incoming)).allMatch(name -> name.startsWith(".") && name.endsWith(".part"));
        long partialBytes = Files.size(incoming.resolve(names(incoming).get(0)));

        DropResult retried = drop.drop("0001", batch);

        byte[] csv = Files.readAllBytes(incoming.resolve(retried.csvFile()));
        assertThat(partialBytes).isLessThan(csv.length);
        assertThat(FileDropTest.sha256(csv)).isEqualTo(retried.sha256());
        assertThat(DropManifest.fromJson(Files.readAllBytes(incoming.resolve(retried.manifestFile()))).sha256()).isEqualTo(retried.sha256());
        assertThat(retried.recordCount()).isEqualTo(batch.size());
    }

    @Test
    void aFailedRenameRemovesTheTemporaryFile() throws Exception {
        startServer(server -> { });
        // A non-empty directory under the final name: the upload works, the rename cannot replace it.
        Files.createDirectories(root.resolve("incoming/drop.csv"));
        Files.writeString(root.resolve("incoming/drop.csv/keep"), "x");

        assertThatThrownBy(() -> new SftpTarget(passwordSettings(hostKey)).put("drop.csv", "x".getBytes(UTF_8))).isInstanceOf(IOException.class);

        assertThat(names(root.resolve("incoming"))).containsExactly("drop.csv");
        assertThat(Files.isDirectory(root.resolve("incoming/drop.csv"))).isTrue();
    }

    @Test
    void settingsNeedAPinnedHostKeyAndExactlyOneCredentialAndNeverPrintThePassword() throws Exception {
        String key = PublicKeyEntry.toString(KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256).getPublic());

        assertThatThrownBy(() -> SftpSettings.withPassword("h", "u", "p", null, "in")).hasMessageContaining("host key is required");
        assertThatThrownBy(() -> SftpSettings.withPassword("h", "u", "p", "ssh-rsa not-base64!", "in")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SftpSettings("h", 22, "u", "p", Path.of("id"), key, "in", null, null)).hasMessageContaining("exactly one");
        SftpSettings settings = SftpSettings.withPassword("h", "u", PASSWORD, key, null);
        assertThat(settings.toString()).doesNotContain(PASSWORD).contains("****");
        assertThat(settings.port()).isEqualTo(22);
        assertThat(settings.remoteDirectory()).isEqualTo(".");
        assertThat(settings.connectTimeout()).isEqualTo(SftpSettings.DEFAULT_TIMEOUT);
        assertThat(new SftpTarget(settings).describe()).contains("u@h:22").contains("SHA256:").doesNotContain(PASSWORD);
    }

    @Test
    void anEd25519HostKeyTheOpenSshDefaultCanBePinned() {
        // BouncyCastle is on the runtime classpath for this: without an EdDSA provider MINA SSHD cannot read such keys.
        assertThat(SecurityUtils.isEDDSACurveSupported()).isTrue();

        SftpSettings settings = SftpSettings.withPassword("h", "u", "p",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl host", "in");

        assertThat(settings.pinnedHostKey().getAlgorithm()).containsIgnoringCase("ed25519");
    }

    private SftpSettings passwordSettings(String pinnedHostKey) {
        return new SftpSettings("127.0.0.1", server.getPort(), USER, PASSWORD, null, pinnedHostKey, "incoming", TIMEOUT, TIMEOUT);
    }

    private void startServer(Consumer<SshServer> customise, SftpEventListener... listeners) throws Exception {
        Files.createDirectories(root.resolve("incoming"));
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(keys.resolve("host-key.pem"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void removing(ServerSession session, Path path, boolean isDirectory) {
                serverEvents.add("remove " + path.getFileName());
            }

            @Override
            public void moving(ServerSession session, Path source, Path target, Collection<CopyOption> options) {
                serverEvents.add("move " + source.getFileName() + " " + target.getFileName());
            }
        });
        for (SftpEventListener listener : listeners) {
            sftp.addSftpEventListener(listener);
        }
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator((username, password, session) -> USER.equals(username) && PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        customise.accept(server);
        server.start();
        hostKey = PublicKeyEntry.toString(server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
