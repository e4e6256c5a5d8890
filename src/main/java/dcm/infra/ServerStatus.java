package dcm.infra;

/**
 * What answers at one configured address.
 *
 * @param component {@code clickhouse} or {@code broker}
 * @param address   where it was asked
 * @param answering whether it answered
 * @param version   the version it reported, or null
 * @param local     whether it is the project-local server this shell started (pid under .moose/)
 * @param pid       that server's pid, or 0
 * @param note      what was done or what to do ("started in 0.4 s", "run `infra up`")
 */
public record ServerStatus(String component, String address, boolean answering, String version, boolean local,
                           long pid, String note) {}
