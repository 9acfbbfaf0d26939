// Writes Flink's connection_info payload exactly as Flink's ZooKeeper HA does
// (ZooKeeperUtils.writeLeaderInformationToZooKeeper: a fresh ObjectOutputStream, writeUTF of
// the address, writeObject of the leader session's java.util.UUID, close), for the codec test
// (test/unit/flink_leader_codec_jdk_test.cpp). Run with the JDK's source launcher:
//   java WriteConnectionInfo.java <file>
// where each line of <file> is "<uuid> <address as the hex of its UTF-8>" (nothing after the
// space for ""). Prints the payload of each line in hex, one line each. Hex, so that no platform encoding gets between the test and
// the JDK.
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

public class WriteConnectionInfo {
    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.US_ASCII)) {
            int space = line.indexOf(' ');
            UUID sessionId = UUID.fromString(line.substring(0, space));
            String hex = line.substring(space + 1);
            String address = new String(parseHex(hex), StandardCharsets.UTF_8);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ObjectOutputStream out = new ObjectOutputStream(bytes);
            out.writeUTF(address);
            out.writeObject(sessionId);
            out.close();
            System.out.println(formatHex(bytes.toByteArray()));
        }
    }

    // By hand rather than java.util.HexFormat, which needs JDK 17; the source launcher needs 11.
    private static byte[] parseHex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static String formatHex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }
}
