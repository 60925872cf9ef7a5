package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input against a running node, on each of its interfaces: Payara's HTTP port (JAX-RS and
 * {@code /sub}), the HTTP and WebSocket listeners of our own, and TCP. First the exact inputs of
 * issue 14, each a defect once; then a fuzzer with a fixed seed that mutates well-formed requests
 * while well-behaved subscribers on every transport must keep receiving every push, stored messages
 * must survive, and the node's file descriptors and log must stay bounded.
 */
class HostileInputIT {

    private static final String CREDENTIAL = "hostile-input-credential";
    private static final int WEBSOCKET_PORT = Deployments.freePort();
    private static final int HTTP_PORT = Deployments.freePort();
    private static final long SEED = 14;
    /** Subscribers /sub holds at once here: more than the fuzzer ever opens there together. */
    private static final int SUB_CAP = 20;
    private static final int INPUTS_PER_INTERFACE = 250;
    /** How long a fuzzed input waits for what the node answers before its socket is dropped. */
    private static final int FUZZ_READ_MILLIS = 200;
    /** A generation's line of {@code jcmd GC.heap_info}, with the KB it uses. */
    private static final java.util.regex.Pattern GENERATION_USED =
            java.util.regex.Pattern.compile("generation\\s.*used (\\d+)K");
    /** What the heap in use (after a full GC) may grow by across the fuzzer's run. */
    private static final long HEAP_GROWTH_KB = 64 * 1024;
    /** The largest close frame a client can get: no reason text, a status code alone. */
    private static final int CLOSE_FRAME_BYTES = 4;

    @RegisterExtension
    static final MicroCluster NODE = MicroCluster.of(1)
            .with("push.websocket.bind", "127.0.0.1:" + WEBSOCKET_PORT)
            .with("push.http.bind", "127.0.0.1:" + HTTP_PORT)
            .with("push.admin.credential", CREDENTIAL)
            .with("push.limit.sub-connections", Integer.toString(SUB_CAP));

    private static MicroMember node() {
        return NODE.member("m1");
    }

    private static int payaraPort() {
        return node().httpPort();
    }

    private static Http admin(int port) {
        return new Http(port).withCredential(CREDENTIAL);
    }

    // ---- the exact inputs of issue 14 ----

    @Test
    void aFrameAnnouncingMoreThanTheLimitIsClosedWith1009FromItsHeaderAlone() {
        for (int port : List.of(payaraPort(), WEBSOCKET_PORT)) {
            for (String length : List.of("7FFFFFFFFFFFFFF0", "0000000030000000", "0000000000010000")) {
                byte[] frame = concat(HexFormat.of().parseHex("81FF" + length), new byte[] {1, 2, 3, 4, 'a', 'b', 'c', 'd'});
                Exchange exchange = Exchange.subscribeThenSend(port, "hostile-big", frame, 5_000);
                assertEquals(1009, exchange.closeCode(), port + ", length " + length + ": " + exchange);
                assertTrue(exchange.closeFrameLength() <= CLOSE_FRAME_BYTES, "no reason text: " + exchange);
                assertTrue(exchange.millis() < 3_000, "closed at once, not at the heartbeat timeout: " + exchange);
            }
        }
    }

    @Test
    void unmaskedFramesAndLengthsWithTheTopBitSetAreProtocolErrors() {
        for (int port : List.of(payaraPort(), WEBSOCKET_PORT)) {
            for (String frame : List.of("810168", "81FF8000000000000001")) {
                Exchange exchange = Exchange.subscribeThenSend(port, "hostile-unmasked",
                        HexFormat.of().parseHex(frame), 5_000);
                assertEquals(1002, exchange.closeCode(), port + ", " + frame + ": " + exchange);
                assertFalse(exchange.text().lastIndexOf("+h") > exchange.text().indexOf("+h"),
                        "the heartbeat is not answered: " + exchange);
            }
        }
    }

    @Test
    void aSubscribeThatCannotBeDecodedIsRefusedBeforeTheUpgradeAndClosed() {
        for (int port : List.of(payaraPort(), WEBSOCKET_PORT)) {
            Exchange exchange = Exchange.send(port, upgrade("key=%zz&heartbeat=30"), 5_000);
            assertEquals(400, exchange.status(), exchange.toString());
            assertTrue(exchange.closedByServer(), "closed, not left open: " + exchange);
        }
    }

    @Test
    void anUpgradeWithoutTheUpgradeTokenIs400WithoutHtml() {
        String keepAlive = "GET /sub?key=a&heartbeat=30 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
        for (int port : List.of(payaraPort(), WEBSOCKET_PORT)) {
            Exchange exchange = Exchange.send(port, keepAlive.getBytes(StandardCharsets.US_ASCII), 5_000);
            assertEquals(400, exchange.status(), exchange.toString());
            assertFalse(exchange.text().toLowerCase().contains("<html"), exchange.toString());
        }
    }

    @Test
    void aHeartbeatInOtherDigitsOrWithASignIsRefusedOnEveryTransport() {
        for (String heartbeat : List.of("%D9%A3%D9%A0", "%2B30", "%EF%BC%93%EF%BC%90")) {
            for (int port : List.of(payaraPort(), WEBSOCKET_PORT)) {
                Exchange exchange = Exchange.send(port, upgrade("key=digits&heartbeat=" + heartbeat), 5_000);
                assertTrue(exchange.text().contains("-p\r\n"), port + ", " + heartbeat + ": " + exchange);
                assertTrue(exchange.closedByServer(), exchange.toString());
            }
            String decoded = java.net.URLDecoder.decode(heartbeat, StandardCharsets.UTF_8);
            Exchange tcp = Exchange.send(node().tcpPort(), TcpClient.command("sub", "digits", decoded), 5_000);
            assertTrue(tcp.text().startsWith("-p\r\n"), "TCP, " + decoded + ": " + tcp);
        }
    }

    @Test
    void aRequestWhoseLengthReadsTwoWaysIs400AndEndsTheConnection() {
        String smuggled = "GET /1/time/get HTTP/1.1\r\nHost: x\r\n\r\n";
        List<String> ambiguous = List.of(
                "POST /1/time/get HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                "POST /1/time/get HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n");
        for (int port : List.of(payaraPort(), HTTP_PORT)) {
            for (String request : ambiguous) {
                Exchange exchange = Exchange.send(port, (request + smuggled).getBytes(StandardCharsets.US_ASCII), 5_000);
                assertEquals(400, exchange.status() == 411 ? 400 : exchange.status(), port + ": " + exchange);
                assertEquals(1, exchange.text().split("HTTP/1\\.1 ", -1).length - 1,
                        "what followed is not answered as a request: " + exchange);
                assertTrue(exchange.closedByServer(), exchange.toString());
            }
        }
    }

    @Test
    void noDescriptionOfTheAdminPathsWithoutTheCredential() {
        Http anonymous = new Http(payaraPort());
        Http.Reply wadl = anonymous.get("/application.wadl");
        assertEquals(404, wadl.status(), wadl.toString());
        assertFalse(wadl.body().contains("admin"), wadl.body());
        for (String path : List.of("/1/admin/stats", "/1/admin/push/private", "/admin/push")) {
            Http.Reply options = anonymous.method("OPTIONS", path);
            assertEquals(401, options.status(), path + ": " + options);
            assertFalse(options.body().contains("wadl") || options.body().contains("POST"), options.body());
        }
        assertEquals(200, admin(payaraPort()).method("OPTIONS", "/1/admin/stats").status());
    }

    @Test
    void theOwnHttpPortAnswers413ForAnyBodyOverTheLimitAnd400ForGarbledRequestLines() {
        Exchange huge = Exchange.send(HTTP_PORT, ("POST /1/admin/push/private?key=k&expire=0 HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 99999999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 5_000);
        assertEquals(413, huge.status(), huge.toString());
        for (String line : List.of("GET /1/time/get HTTX/1.1", "GET /1/time/get http/1.1", "GET /1/time/get HTTP/11",
                "\u0000\u0001\u0002 / HTTP/1.1")) {
            Exchange garbled = Exchange.send(HTTP_PORT, (line + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    5_000);
            assertEquals(400, garbled.status(), line + ": " + garbled);
        }
        Exchange otherVersion = Exchange.send(HTTP_PORT, "GET /1/time/get HTTP/2.0\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), 5_000);
        assertEquals(505, otherVersion.status(), otherVersion.toString());
    }

    @Test
    void thousandsOfPipelinedRequestsOnAConnectionTheServerClosesLogNoStackTrace() throws IOException {
        long linesBefore = logLines();
        byte[] request = "GET /1/time/get HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 2; round++) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 5_000; i++) {
                all.writeBytes(request);
            }
            Exchange.send(payaraPort(), all.toByteArray(), 3_000);
        }
        assertNodeAnswers();
        List<String> written = logLinesSince(linesBefore);
        assertTrue(written.size() < 20, "the log grew by " + written.size() + " lines:\n" + tail(written));
        assertTrue(written.stream().noneMatch(HostileInputIT::isStackFrame), tail(written));
    }

    @Test
    void subscribersOverTheSubCapGet503AndAPlaceFreedIsTakenAgain() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            Await.until(Duration.ofSeconds(30), () -> fillSub(held), () -> "could not hold " + SUB_CAP
                    + " subscribers on /sub; held " + held.size());
            Exchange over = Exchange.send(payaraPort(), upgrade("key=hostile-cap-over&heartbeat=30"), 5_000);
            assertEquals(503, over.status(), over.toString());
            assertTrue(over.closedByServer(), over.toString());
            held.remove(0).close();
            Await.until(Duration.ofSeconds(30), () -> fillSub(held), () -> "the freed place was not taken again");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * Opens subscribers on /sub until {@link #SUB_CAP} are held, each answered {@code +h}; false when
     * one was refused (places of earlier tests' sockets not freed yet), with what it held kept.
     */
    private static boolean fillSub(List<Socket> held) {
        try {
            while (held.size() < SUB_CAP) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", payaraPort()), 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(upgrade("key=hostile-cap-" + held.size() + "&heartbeat=30"));
                byte[] head = new byte[512];
                int read = socket.getInputStream().read(head);
                String reply = read < 0 ? "" : new String(head, 0, read, StandardCharsets.ISO_8859_1);
                if (!reply.startsWith("HTTP/1.1 101")) {
                    socket.close();
                    return false;
                }
                held.add(socket);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- the fuzzer ----

    @Test
    void mutatedInputsOnEveryInterfaceLeaveTheNodeServingAndLoseNothing() throws Exception {
        Http pusher = admin(HTTP_PORT);
        String storedKey = "hostile-kept";
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pusher.push(storedKey, "{\"n\":" + i + "}", 600);
        }
        stored.addAll(mids(pusher.get("/1/msg/get?k=" + storedKey + "&m=0").body()));
        assertEquals(20, stored.size());
        long linesBefore = logLines();
        int descriptorsBefore = descriptors();
        long heapBefore = heapUsedAfterGcKb();

        try (WsClient onSub = WsClient.connect("127.0.0.1:" + payaraPort(), "key=hostile-calm-sub&heartbeat=600&ver=1");
                WsClient onListener = WsClient.connect("127.0.0.1:" + WEBSOCKET_PORT,
                        "key=hostile-calm-ws&heartbeat=600&ver=1");
                TcpClient onTcp = new TcpClient(node().tcpPort()).subscribe("sub", "hostile-calm-tcp", "600", "", "1")) {
            assertEquals("+h\r\n", onSub.next(10_000));
            assertEquals("+h\r\n", onListener.next(10_000));
            assertEquals("+h\r\n", onTcp.nextReply(10_000));

            Random random = new Random(SEED);
            List<Fuzzed> inputs = new ArrayList<>();
            for (Interface target : Interface.values()) {
                for (int i = 0; i < INPUTS_PER_INTERFACE; i++) {
                    inputs.add(new Fuzzed(target, Mutations.mutate(target.template(random, CREDENTIAL), random)));
                }
            }
            ExecutorService attackers = Executors.newFixedThreadPool(4);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> sent = new ArrayList<>();
            for (Fuzzed input : inputs) {
                sent.add(attackers.submit(() -> {
                    int port = input.target().port();
                    if (Exchange.send(port, input.bytes(), FUZZ_READ_MILLIS).text().length() > 0) {
                        answered.incrementAndGet();
                    }
                }));
            }
            int pushes = 0;
            while (!sent.stream().allMatch(Future::isDone)) {
                for (String key : List.of("hostile-calm-sub", "hostile-calm-ws", "hostile-calm-tcp")) {
                    pusher.push(key, "{\"n\":" + pushes + "}", 0);
                }
                pushes++;
                Thread.sleep(50);
            }
            attackers.shutdown();
            assertTrue(attackers.awaitTermination(1, TimeUnit.MINUTES));
            for (Future<?> future : sent) {
                future.get();
            }
            System.out.println("fuzzed " + inputs.size() + " inputs (" + answered + " answered) while " + pushes
                    + " pushes went to each calm subscriber; heap in use before: " + heapBefore + " KB");

            for (int n = 0; n < pushes; n++) {
                String expected = "{\"n\":" + n + "}";
                assertTrue(onSub.next(10_000).contains(expected), "/sub lost push " + n);
                assertTrue(onListener.next(10_000).contains(expected), "the WebSocket listener lost push " + n);
                assertTrue(onTcp.nextJson(10_000).contains(expected), "TCP lost push " + n);
            }
        }
        assertNodeAnswers();
        assertEquals(stored, mids(pusher.get("/1/msg/get?k=" + storedKey + "&m=0").body()), "stored messages kept");
        awaitDescriptorsBelow(descriptorsBefore + 50);
        long heapAfter = heapUsedAfterGcKb();
        assertTrue(heapAfter < heapBefore + HEAP_GROWTH_KB, "the heap in use after a full GC grew from " + heapBefore
                + " KB to " + heapAfter + " KB");
        List<String> written = logLinesSince(linesBefore);
        assertTrue(written.stream().noneMatch(HostileInputIT::isStackFrame), tail(written));
        assertTrue(written.size() < 100, "the log grew by " + written.size() + " lines:\n" + tail(written));
        assertTrue(written.stream().noneMatch(l -> l.contains("OutOfMemoryError") || l.contains("Java heap space")),
                tail(written));
    }

    // ---- helpers ----

    private static byte[] upgrade(String query) {
        return ("GET /sub?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void assertNodeAnswers() {
        Http.Reply time = new Http(payaraPort()).get("/1/time/get");
        assertEquals(200, time.status(), time.toString());
        assertEquals(200, new Http(HTTP_PORT).get("/1/time/get").status());
    }

    private static List<Long> mids(String body) {
        List<Long> mids = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"mid\":(\\d+)").matcher(body);
        while (matcher.find()) {
            mids.add(Long.parseLong(matcher.group(1)));
        }
        return mids;
    }

    private static long logLines() throws IOException {
        try (Stream<String> lines = Files.lines(node().logFile(), StandardCharsets.ISO_8859_1)) {
            return lines.count();
        }
    }

    /** What the node logged after the given line, once it has written nothing for a moment. */
    private static List<String> logLinesSince(long before) throws IOException {
        Path log = node().logFile();
        long size = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && size != Files.size(log)) {
            size = Files.size(log);
            sleep(500);
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.skip(before).toList();
        }
    }

    private static boolean isStackFrame(String line) {
        return line.startsWith("\tat ") || line.startsWith("Caused by: ");
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The node's heap in use after a full GC, in KB, as {@code jcmd} reports its generations. */
    private static long heapUsedAfterGcKb() {
        jcmd("GC.run");
        long used = 0;
        for (String line : jcmd("GC.heap_info").lines().toList()) {
            java.util.regex.Matcher matcher = GENERATION_USED.matcher(line);
            if (matcher.find()) {
                used += Long.parseLong(matcher.group(1));
            }
        }
        assertTrue(used > 0, "no heap figures from jcmd");
        return used;
    }

    private static String jcmd(String command) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(node().pid()), command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd " + command + " did not end");
            return output;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int descriptors() {
        String[] open = Path.of("/proc", Long.toString(node().pid()), "fd").toFile().list();
        return open == null ? -1 : open.length;
    }

    private static void awaitDescriptorsBelow(int limit) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int now = descriptors();
        while (now >= limit && System.nanoTime() < deadline) {
            sleep(500);
            now = descriptors();
        }
        assertTrue(now < limit, "the node holds " + now + " file descriptors, at most " + limit + " expected");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record Fuzzed(Interface target, byte[] bytes) {
    }

    /** The node's interfaces, each with the well-formed inputs the fuzzer starts from. */
    private enum Interface {
        PAYARA_HTTP, OWN_HTTP, WEBSOCKET_LISTENER, TCP;

        int port() {
            return switch (this) {
                case PAYARA_HTTP -> payaraPort();
                case OWN_HTTP -> HTTP_PORT;
                case WEBSOCKET_LISTENER -> WEBSOCKET_PORT;
                case TCP -> node().tcpPort();
            };
        }

        byte[] template(Random random, String credential) {
            List<byte[]> templates = switch (this) {
                case PAYARA_HTTP, OWN_HTTP -> List.of(
                        ascii("GET /1/time/get?cb=f HTTP/1.1\r\nHost: x\r\n\r\n"),
                        ascii("GET /1/msg/get?k=fuzz&m=0 HTTP/1.1\r\nHost: x\r\n\r\n"),
                        ascii("GET /msg/get?key=fuzz&mid=0&pmid=0&callback=c HTTP/1.1\r\nHost: x\r\n\r\n"),
                        ascii("GET /1/server/get?k=fuzz&p=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                        ascii("POST /1/admin/push/private?key=fuzz&expire=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                + credential + "\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"),
                        ascii("POST /1/admin/push/mprivate?expire=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                + credential + "\r\nContent-Length: 34\r\n\r\n{\"k\":[\"fuzz\",\"z\"],\"m\":{\"a\":1}}  "),
                        ascii("POST /1/admin/token/add?key=fuzz&expire=60 HTTP/1.1\r\nHost: x\r\n"
                                + "Content-Length: 5\r\n\r\nt=abc"),
                        concat(upgrade("key=fuzz&heartbeat=30&ver=1"), maskedText("h"), maskedText("h")));
                case WEBSOCKET_LISTENER -> List.of(
                        concat(upgrade("key=fuzz&heartbeat=30"), maskedText("h")),
                        concat(upgrade("key=fuzz&heartbeat=30&token=t&ver=1"), maskedText("h"), maskedText("x")));
                case TCP -> List.of(
                        TcpClient.command("sub", "fuzz", "30"),
                        concat(TcpClient.command("sub", "fuzz", "30", "", "1"), ascii("h")));
            };
            return templates.get(random.nextInt(templates.size()));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] maskedText(String text) {
        return RawWebSocket.frame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Ways to break a well-formed input, each keeping it bounded (at most 64 KB). */
    private static final class Mutations {

        private static final List<String> NASTY = List.of("%zz", "%", "\u0000", "\r", "\n", "\r\n\r\n", "99999999999999999999",
                "-1", "\u0663\u0660", "+30", "\u00ff\u00fe", "HTTP/9.9", "Transfer-Encoding: chunked\r\n",
                "Content-Length: 4294967296\r\n", "\"", "\\u0000", "{", "[[[[[[[[[[", "key=", "&&&&", " ", "\t");

        static byte[] mutate(byte[] input, Random random) {
            byte[] bytes = input;
            int times = 1 + random.nextInt(3);
            for (int i = 0; i < times; i++) {
                bytes = once(bytes, random);
            }
            return bytes.length > 64 * 1024 ? java.util.Arrays.copyOf(bytes, 64 * 1024) : bytes;
        }

        private static byte[] once(byte[] bytes, Random random) {
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(8)) {
                case 0 -> {
                    byte[] flipped = bytes.clone();
                    if (flipped.length > 0) {
                        flipped[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    return flipped;
                }
                case 1 -> {
                    return splice(bytes, at, at, NASTY.get(random.nextInt(NASTY.size())).getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> {
                    return java.util.Arrays.copyOf(bytes, at);
                }
                case 3 -> {
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(16));
                    return splice(bytes, at, end, new byte[0]);
                }
                case 4 -> {
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(64));
                    byte[] repeated = java.util.Arrays.copyOfRange(bytes, at, end);
                    ByteArrayOutputStream many = new ByteArrayOutputStream();
                    for (int i = random.nextInt(200); i >= 0; i--) {
                        many.writeBytes(repeated);
                    }
                    return splice(bytes, at, at, many.toByteArray());
                }
                case 5 -> {
                    byte[] noise = new byte[1 + random.nextInt(64)];
                    random.nextBytes(noise);
                    return splice(bytes, at, at, noise);
                }
                case 6 -> {
                    byte[] header = HexFormat.of().parseHex(List.of("81FF7FFFFFFFFFFFFFF0", "81FE7FFF", "8101", "887E0001",
                            "0FFF0000000000000001", "89FF0000000000000080").get(random.nextInt(6)));
                    return concat(bytes, header, new byte[] {1, 2, 3, 4});
                }
                default -> {
                    byte[] noise = new byte[random.nextInt(512)];
                    random.nextBytes(noise);
                    return noise;
                }
            }
        }

        private static byte[] splice(byte[] bytes, int from, int to, byte[] inserted) {
            return concat(java.util.Arrays.copyOfRange(bytes, 0, from), inserted,
                    java.util.Arrays.copyOfRange(bytes, to, bytes.length));
        }
    }

    /**
     * One connection: bytes sent, then what the node answered until it closed (or sent a WebSocket
     * close frame) or the time ran out.
     */
    private record Exchange(byte[] received, boolean closedByServer, long millis) {

        static Exchange send(int port, byte[] bytes, int readMillis) {
            return run(port, bytes, null, readMillis);
        }

        /** Subscribes on {@code /sub}, waits for {@code +h}, then sends the bytes. */
        static Exchange subscribeThenSend(int port, String key, byte[] bytes, int readMillis) {
            return run(port, upgrade("key=" + key + "&heartbeat=30"), bytes, readMillis);
        }

        private static Exchange run(int port, byte[] first, byte[] afterHeartbeat, int readMillis) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = false;
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(100);
                InputStream in = socket.getInputStream();
                write(socket, first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readMillis);
                byte[] chunk = new byte[8192];
                while (System.nanoTime() < deadline && received.size() < 256 * 1024) {
                    if (afterHeartbeat != null && received.toString(StandardCharsets.ISO_8859_1).contains("+h\r\n")) {
                        start = System.nanoTime();
                        write(socket, afterHeartbeat);
                        afterHeartbeat = null;
                    }
                    try {
                        int read = in.read(chunk);
                        if (read < 0) {
                            closed = true;
                            break;
                        }
                        received.write(chunk, 0, read);
                        if (afterHeartbeat == null && closeFrameAt(received.toByteArray()) >= 0) {
                            closed = true;
                            break;
                        }
                    } catch (SocketTimeoutException e) {
                        // keep reading until the deadline
                    }
                }
            } catch (IOException e) {
                closed = true;
            }
            return new Exchange(received.toByteArray(), closed, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        private static void write(Socket socket, byte[] bytes) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the node may close first: what it answered is judged
            }
        }

        String text() {
            return new String(received, StandardCharsets.ISO_8859_1);
        }

        int status() {
            String text = text();
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        }

        /** Where a server close frame starts after the handshake's head, -1 when none arrived. */
        private static int closeFrameAt(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int head = text.indexOf("\r\n\r\n");
            int i = head < 0 ? bytes.length : head + 4;
            while (i + 1 < bytes.length) {
                int opcode = bytes[i] & 0x0F;
                int length = bytes[i + 1] & 0x7F;
                if (length > 125) {
                    return -1;
                }
                if (opcode == 0x8) {
                    return i;
                }
                i += 2 + length;
            }
            return -1;
        }

        int closeCode() {
            int at = closeFrameAt(received);
            return at < 0 || (received[at + 1] & 0x7F) < 2 ? -1
                    : ((received[at + 2] & 0xFF) << 8) | (received[at + 3] & 0xFF);
        }

        int closeFrameLength() {
            int at = closeFrameAt(received);
            return at < 0 ? -1 : 2 + (received[at + 1] & 0x7F);
        }

        @Override
        public String toString() {
            String text = text();
            return "after " + millis + " ms, " + (closedByServer ? "closed" : "open") + ": "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text).replace("\r\n", "\\r\\n");
        }
    }
}
