package org.pupilflow.adapters.filedrop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryTargetTest {

    @TempDir
    Path dir;

    @Test
    void putWritesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        byte[] content = "a,b\r\n1,2\r\n".getBytes(UTF_8);

        new LocalDirectoryTarget(dir).put("drop.csv", content);

        assertThat(Files.readAllBytes(dir.resolve("drop.csv"))).isEqualTo(content);
        assertThat(names()).containsExactly("drop.csv");
    }

    @Test
    void putReplacesAnExistingFile() throws IOException {
        LocalDirectoryTarget target = new LocalDirectoryTarget(dir);
        target.put("drop.csv", "old content that is longer".getBytes(UTF_8));

        target.put("drop.csv", "new".getBytes(UTF_8));

        assertThat(Files.readString(dir.resolve("drop.csv"))).isEqualTo("new");
        assertThat(names()).containsExactly("drop.csv");
    }

    @Test
    void aPutThatFailsMidwayLeavesNoFileUnderTheFinalNameAndNoTemporaryFile() {
        LocalDirectoryTarget failing = new LocalDirectoryTarget(dir, out -> failingAfter(out, 100));

        assertThatThrownBy(() -> failing.put("drop.csv", new byte[10_000])).isInstanceOf(IOException.class).hasMessageContaining("disk full");

        assertThat(names()).isEmpty();
    }

    @Test
    void aFailedReplacementKeepsThePreviousFile() throws IOException {
        new LocalDirectoryTarget(dir).put("drop.csv", "previous".getBytes(UTF_8));
        LocalDirectoryTarget failing = new LocalDirectoryTarget(dir, out -> failingAfter(out, 100));

        assertThatThrownBy(() -> failing.put("drop.csv", new byte[10_000])).isInstanceOf(IOException.class);

        assertThat(Files.readString(dir.resolve("drop.csv"))).isEqualTo("previous");
        assertThat(names()).containsExactly("drop.csv");
    }

    @Test
    void aRenameThatFailsRemovesTheTemporaryFile() throws IOException {
        // A non-empty directory under the final name: the content is written, the rename cannot replace it.
        Files.createDirectories(dir.resolve("drop.csv"));
        Files.writeString(dir.resolve("drop.csv").resolve("keep"), "x");

        assertThatThrownBy(() -> new LocalDirectoryTarget(dir).put("drop.csv", "new".getBytes(UTF_8))).isInstanceOf(IOException.class);

        assertThat(names()).containsExactly("drop.csv");
        assertThat(Files.isDirectory(dir.resolve("drop.csv"))).isTrue();
    }

    @Test
    void aMissingDirectoryIsAnErrorNotCreated() {
        Path missing = dir.resolve("not-mounted");

        assertThatThrownBy(() -> new LocalDirectoryTarget(missing).put("drop.csv", new byte[1])).isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void refusesNamesThatAreNotPlainFileNames() {
        LocalDirectoryTarget target = new LocalDirectoryTarget(dir);

        for (String name : List.of("", "../escape.csv", "sub/drop.csv", ".hidden.csv", "drop csv", "x".repeat(201))) {
            assertThatThrownBy(() -> target.put(name, new byte[1])).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(names()).isEmpty();
    }

    private List<String> names() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stream that accepts {@code limit} bytes, then fails like a full disk. */
    private static OutputStream failingAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > limit) {
                    throw new IOException("disk full (injected)");
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }
}
