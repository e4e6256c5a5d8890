// PageViews: a raw stream only (no table yet).
record PageView(String url, String userId, Instant at, boolean bounced) {}

new Stream<>("PageViews", PageView.class);
