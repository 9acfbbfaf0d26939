#pragma once

#include <string>
#include <vector>

namespace baton::bench {

// The physical floor of a graceful handover, measured with the raw single-threaded ZooKeeper
// C client (libzookeeper_st: zookeeper_interest/zookeeper_process driven by poll() on one
// thread, no baton code): two sessions A and B; B holds a data watch on A's ephemeral node;
// A deletes its node (one round trip), the server notifies B, B lists the directory (one
// round trip). Each sample is the time from A's delete to B's list reply, in milliseconds.
// Also returns plain read round trips (exists on the directory) in `roundTrips`.
struct FloorResult {
  std::vector<double> handovers;
  std::vector<double> notified;  // of each handover: from the delete to B's notification
  std::vector<double> roundTrips;
};

FloorResult measureHandoverFloor(const std::string& quorum, int reps);

// The physical floor of an uncontended start, with the same raw client: a new session
// (zookeeper_init to connected), one ephemeral-sequential create in an existing directory and
// one getChildren of it. `starts` runs from zookeeper_init to the list reply; `elections`
// from sending the create to the list reply (the part after connect), in milliseconds.
struct StartFloorResult {
  std::vector<double> starts;
  std::vector<double> elections;
};

StartFloorResult measureStartFloor(const std::string& quorum, int reps);

}  // namespace baton::bench
