/* The Linux probes, in the order they run. */
#include "hostaudit/probe.h"

extern const probe probe_os;
extern const probe probe_password;

const probe *const platform_probes[] = {
	&probe_os,
	&probe_password,
	NULL,
};
