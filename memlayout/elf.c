/*
 * elf.c: what the ELF headers of a mapped file say. A name is not
 * evidence: "libfoo.so" may be a data file and a library may be called
 * anything. The file's own header says whether it is a shared object,
 * and its program headers say which pages ld.so makes read-only after
 * relocating them (PT_GNU_RELRO). readelf -h / -l / -S show the same.
 */
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "memlayout.h"

#define MAX_PHDRS 64
#define MAX_SHDRS 512

static int
read_at(int fd, void *buf, size_t n, off_t off)
{
	return pread(fd, buf, n, off) == (ssize_t)n ? 0 : -1;
}

/* The program headers: type, RELRO range, the first PT_LOAD's address. */
static int
read_phdrs(int fd, const Elf64_Ehdr *eh, struct elf_info *ei)
{
	Elf64_Phdr ph;
	size_t i;
	int first = 1;

	if (eh->e_phentsize != sizeof(ph) || eh->e_phnum > MAX_PHDRS)
		return -1;
	for (i = 0; i < eh->e_phnum; i++) {
		if (read_at(fd, &ph, sizeof(ph),
		            (off_t)(eh->e_phoff + i * sizeof(ph))) < 0)
			return -1;
		if (ph.p_type == PT_INTERP)
			ei->interp = 1;
		else if (ph.p_type == PT_DYNAMIC)
			ei->dynamic = 1;
		else if (ph.p_type == PT_GNU_RELRO) {
			ei->relro_va = ph.p_vaddr;
			ei->relro_len = ph.p_memsz;
		} else if (ph.p_type == PT_LOAD && first) {
			/* the link-time address of file offset 0: the
			 * load bias is measured from it */
			ei->load_va = ph.p_vaddr - ph.p_offset;
			first = 0;
		}
	}
	return 0;
}

/* Where .rodata is (sh_addr, sh_size); left 0 if absent or unreadable. */
static void
read_rodata(int fd, const Elf64_Ehdr *eh, struct elf_info *ei)
{
	Elf64_Shdr sh, strsh;
	char name[16];
	size_t i;

	if (eh->e_shentsize != sizeof(sh) || eh->e_shnum > MAX_SHDRS ||
	    eh->e_shstrndx >= eh->e_shnum ||
	    read_at(fd, &strsh, sizeof(strsh),
	            (off_t)(eh->e_shoff + eh->e_shstrndx * sizeof(sh))) < 0)
		return;
	for (i = 0; i < eh->e_shnum; i++) {
		if (read_at(fd, &sh, sizeof(sh),
		            (off_t)(eh->e_shoff + i * sizeof(sh))) < 0 ||
		    read_at(fd, name, sizeof(name),
		            (off_t)(strsh.sh_offset + sh.sh_name)) < 0)
			continue;
		name[sizeof(name) - 1] = '\0';
		if (strcmp(name, ".rodata") == 0) {
			ei->rodata_va = sh.sh_addr;
			ei->rodata_len = sh.sh_size;
			return;
		}
	}
}

int
elf_read(int fd, struct elf_info *ei, int sections)
{
	Elf64_Ehdr eh;

	memset(ei, 0, sizeof(*ei));
	if (read_at(fd, &eh, sizeof(eh), 0) < 0 ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		return -1;
	ei->type = eh.e_type;
	if (read_phdrs(fd, &eh, ei) < 0)
		return -1;
	if (sections) /* a pread per section: only for the program */
		read_rodata(fd, &eh, ei);
	ei->ok = 1;
	return 0;
}

/*
 * Linked static? A dynamic program names its loader in a PT_INTERP
 * header; a static one has none, so nothing maps libc.so. (AT_BASE,
 * the loader's address, is no test: it is 0 also when the loader is
 * run as a command, "ld.so ./memlayout".)
 */
int
elf_self_static(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long i, n = getauxval(AT_PHNUM);

	for (i = 0; ph && i < n; i++)
		if (ph[i].p_type == PT_INTERP)
			return 0;
	return 1;
}
