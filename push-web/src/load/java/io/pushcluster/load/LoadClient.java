package io.pushcluster.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar push-load.jar <idle|push|multi|offline> [--option value ...]}: runs one scenario
 * against a server on loopback, then prints a line starting with {@code SUMMARY} and a line of JSON
 * (also written to {@code --out FILE}). Exits 0 when everything came back as expected, 1 when not, and
 * halts with 3 once {@code --max-time} seconds have passed, whatever it was doing.
 */
public final class LoadClient {

    private static final String USAGE = """
            usage: java -jar push-load.jar <idle|push|multi|offline> [--option value ...]
              server     --server http://127.0.0.1:8080 (loopback only) --admin-token T
                         --sub-url/--push-url/--mpush-url/--get-url/--stats-url templates ({k} key, {h} heartbeat,
                         {e} expire; stats none to skip) --fanout-url U (multi: POST each message to U, reaching all)
                         --group-url U (multi: first add every key to a group by form POSTs to U)
                         --server-pid P (RSS from /proc) --server-gc (jcmd P GC.run before memory readings)
              keys       --key-prefix P --key-offset N
              subscribers --conns 200 --connect-rate 1000 --inflight 200 --connect-timeout 15 --heartbeat 30
                         --src 127.0.0.2-127.0.0.4 (source addresses, round robin) --connect-max 600
              idle       --hold 30 --settle 5
              push/multi --rate 200 (0: as fast as --http-conns allow) --duration 5 --count N --warmup 0 --drain 10
                         --expire 0 --size 64 --http-conns 8 --order robin|random (push: keys in turn or at random)
                         --keys-per-push 100 (multi)
              offline    --keys 100 --stored 20 --expire 3600 --rate 200 --duration 5 --prefill-max 300
              always     --max-time 600 (hard stop) --out FILE (the JSON)
            """;

    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String scenario = args[0];
        Options o;
        Target target;
        try {
            o = new Options(args, 1);
            target = new Target(o);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        long maxTime = o.number("max-time", 600);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxTime * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("--max-time " + maxTime + " s reached: stopping");
            Runtime.getRuntime().halt(3);
        }, "max-time");
        watchdog.setDaemon(true);
        watchdog.start();

        ServerProbe probe = new ServerProbe(target.statsUrl, target.authorization, o.number("server-pid", 0),
                o.flag("server-gc"));
        String started = Instant.now().toString();
        Result result = switch (scenario) {
            case "idle" -> IdleScenario.run(o, target, probe);
            case "push" -> PushScenario.run(o, target, probe, false);
            case "multi" -> PushScenario.run(o, target, probe, true);
            case "offline" -> OfflineScenario.run(o, target, probe);
            default -> {
                System.err.print(USAGE);
                System.exit(2);
                yield null;
            }
        };
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("startedAt", started);
        json.put("ok", result.ok());
        json.put("summary", result.summary());
        json.put("options", o.all());
        json.putAll(result.figures());
        String text = Json.write(json);
        System.out.println("SUMMARY " + result.summary());
        System.out.println(text);
        String out = o.text("out", null);
        if (out != null) {
            Files.writeString(Path.of(out), text + "\n");
        }
        System.exit(result.ok() ? 0 : 1);
    }
}
