#include "procview.h"
int
pv_kill_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}
