/*
 * netaddr.c: socket addresses: a numeric address or a host name to a
 * sockaddr, a sockaddr to "1.2.3.4:80", the two ends of a socket, and the
 * addresses of this machine (see net.h for the contracts).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"

int
net_addr(const char *addr, int port, struct sockaddr_storage *ss,
         socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!addr || port < 0 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*s6);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int
net_format(const struct sockaddr *sa, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	int r;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		r = snprintf(buf, n, "%s:%u", ip, ntohs(s4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		r = snprintf(buf, n, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (r < 0 || (size_t)r >= n) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* getpeername or getsockname of fd, formatted (net_peer, net_sockname) */
static int
format_name(int fd, int (*get)(int, struct sockaddr *, socklen_t *), char *buf,
            size_t n)
{
	struct sockaddr_storage ss = {0}; /* as in net_local_port() */
	socklen_t len = sizeof(ss);

	if (get(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	return net_format((struct sockaddr *)&ss, buf, n);
}

int
net_peer(int fd, char *buf, size_t n)
{
	return format_name(fd, getpeername, buf, n);
}

int
net_sockname(int fd, char *buf, size_t n)
{
	return format_name(fd, getsockname, buf, n);
}

int
net_resolve(const char *host, int port, struct sockaddr_storage *ss,
            socklen_t *len)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_ADDRCONFIG};
	struct addrinfo *res;
	int err;

	if (net_addr(host, port, ss, len) == 0 || !host || port < 0 ||
	    port > 65535)
		return host && port >= 0 && port <= 65535 ? 0 : -1;
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err) {
		if (err != EAI_SYSTEM)
			errno = err == EAI_AGAIN ? EAGAIN : ENXIO;
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	/* both families keep the port at the same offset */
	((struct sockaddr_in *)ss)->sin_port = htons((unsigned short)port);
	return 0;
}

int
net_host_addrs(int family, char *buf, size_t n)
{
	struct ifaddrs *list, *ifa;
	char one[INET6_ADDRSTRLEN];
	size_t used = 0;
	int len;

	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	if (getifaddrs(&list) < 0)
		return -1;
	buf[0] = '\0';
	for (ifa = list; ifa; ifa = ifa->ifa_next) {
		const struct sockaddr *sa = ifa->ifa_addr;
		const void *a;

		if (!sa || (sa->sa_family != family && family != AF_UNSPEC))
			continue;
		if (sa->sa_family == AF_INET)
			a = &((const struct sockaddr_in *)sa)->sin_addr;
		else if (sa->sa_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		else
			continue;
		if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(a))
			continue; /* fe80::... works only with an interface */
		inet_ntop(sa->sa_family, a, one, sizeof(one));
		len = snprintf(buf + used, n - used, "%s%s", used ? " " : "",
		               one);
		if (len < 0 || (size_t)len >= n - used)
			break; /* full: keep the addresses that fit whole */
		used += (size_t)len;
	}
	if (used < n)
		buf[used] = '\0';
	freeifaddrs(list);
	return 0;
}

int
net_reach(const char *addr, char *buf, size_t n)
{
	if (strcmp(addr, "0.0.0.0") == 0)
		return net_host_addrs(AF_INET, buf, n);
	if (strcmp(addr, "::") == 0)
		return net_host_addrs(AF_INET6, buf, n);
	errno = EINVAL;
	return -1;
}
