/* The Windows probes, in the order they run. */
#include "hostaudit/probe.h"

extern const probe probe_os;

const probe *const platform_probes[] = {
	&probe_os,
	NULL,
};
