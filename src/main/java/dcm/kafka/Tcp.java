package dcm.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A plain TCP probe: cheaper than a client when nothing listens. */
public final class Tcp {
    private Tcp() {}

    /** True when something accepts a connection at host:port within {@code timeoutMillis}. */
    public static boolean open(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
