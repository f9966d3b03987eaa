// Ready answers whether a Gremlin Server evaluates a trivial script.
//
// scripts/janusgraph.sh runs it as a single-file Java program with the server's
// own jars on the class path: `java -cp 'lib/*' Ready.java HOST PORT [USER PASS]`.
// Exit 0 when `g.inject(1)` returns 1, non-zero (with the cause on stderr) otherwise.
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.tinkerpop.gremlin.driver.Client;
import org.apache.tinkerpop.gremlin.driver.Cluster;
import org.apache.tinkerpop.gremlin.driver.Result;

public class Ready {
    public static void main(String[] args) throws Exception {
        Cluster.Builder b = Cluster.build(args[0]).port(Integer.parseInt(args[1]));
        if (args.length >= 4) {
            b = b.credentials(args[2], args[3]);
        }
        Cluster cluster = b.create();
        int code = 1;
        try {
            Client client = cluster.connect();
            List<Result> rs = client.submit("g.inject(1)").all().get(20, TimeUnit.SECONDS);
            if (rs.size() == 1 && rs.get(0).getInt() == 1) {
                code = 0;
            } else {
                System.err.println("unexpected answer to g.inject(1): " + rs);
            }
        } catch (Exception e) {
            System.err.println("g.inject(1) failed: " + e);
        } finally {
            cluster.close();
        }
        System.exit(code);
    }
}
