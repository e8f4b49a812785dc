/* The Windows probes, in the order they run. */
#include "hostaudit/probe.h"

extern const probe probe_os;
extern const probe probe_password;
extern const probe probe_updates;

const probe *const platform_probes[] = {
	&probe_os,
	&probe_password,
	&probe_updates,
	NULL,
};
