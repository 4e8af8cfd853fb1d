#include "vigil/audit/event_sink.h"

#include <gtest/gtest.h>

#include "vigil/core/fault_env.h"

namespace vigil::audit {
namespace {

TEST(AuditLogSinkTest, NumbersTimestampsAndPersistsEvents) {
  FaultInjectingEnv env;
  auto log = TileLog::Open(env, "/log");
  ASSERT_TRUE(log.has_value());
  AuditLogSink sink(**log, env);
  Event e;
  e.device_id = "pump-1";
  e.actor_id = "clin.1";
  e.actor_role = Role::kClinician;
  e.action = Action::kLogin;
  ASSERT_TRUE(sink.Record(e).has_value());
  e.outcome = Outcome::kMinorFailure;
  ASSERT_TRUE(sink.Record(e).has_value());
  ASSERT_EQ((*log)->size(), 2u);
  auto second = DecodeEvent(*(*log)->Entry(1));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->sequence, 1u);
  EXPECT_EQ(second->time_unix_micros, env.NowUnixMicros());
  EXPECT_EQ(second->outcome, Outcome::kMinorFailure);
  e.actor_id = "not an id";
  auto bad = sink.Record(e);
  ASSERT_FALSE(bad.has_value());  // invalid events are refused, nothing appended
  EXPECT_EQ((*log)->size(), 2u);
}

}  // namespace
}  // namespace vigil::audit
