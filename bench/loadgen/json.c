/*
 * json.c - the little JSON reading loadgen needs: skipping values, unescaping strings, and the
 * string members of a Pusher message.
 */
#include "loadgen.h"

/* index just past the JSON string starting at s[i] == '"'; n + 1 when it does not end */
static size_t json_skip_str(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n + 1;
}

/* index just past the JSON value starting at s[i]; n + 1 when it does not end */
static size_t json_skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i = json_skip_str(s, n, i);
			if (i > n || !depth)
				return i;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return i;
			if (!--depth)
				return i + 1;
		} else if (!depth && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
			return i;
		}
		i++;
	}
	return depth ? n + 1 : i;
}

static size_t json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* the JSON string body s[0..n) (no quotes) unescaped into out; -1 when malformed or too long */
static int json_unescape(const char *s, size_t n, char *out, size_t cap, size_t *olen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned cp = (unsigned char)s[i];
		int raw = cp != '\\';
		if (!raw) {
			if (++i >= n)
				return -1;
			switch (s[i]) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (i + 4 >= n)
					return -1;
				cp = 0;
				for (int j = 1; j <= 4; j++) {
					int v = hexval(s[i + j]);
					if (v < 0)
						return -1;
					cp = cp << 4 | (unsigned)v;
				}
				i += 4;
				if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
					unsigned lo = 0;
					for (int j = 3; j <= 6; j++) {
						int v = hexval(s[i + j]);
						if (v < 0)
							return -1;
						lo = lo << 4 | (unsigned)v;
					}
					if (lo >= 0xDC00 && lo < 0xE000) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						i += 6;
					}
				}
				break;
			default: return -1;
			}
		}
		uint8_t u[4];
		int ul;
		if (cp < 0x80 || raw) { /* ASCII, or a byte of raw UTF-8 */
			u[0] = (uint8_t)cp, ul = 1;
		} else if (cp < 0x800) {
			u[0] = (uint8_t)(0xC0 | cp >> 6), u[1] = (uint8_t)(0x80 | (cp & 63)), ul = 2;
		} else if (cp < 0x10000) {
			u[0] = (uint8_t)(0xE0 | cp >> 12), u[1] = (uint8_t)(0x80 | ((cp >> 6) & 63));
			u[2] = (uint8_t)(0x80 | (cp & 63)), ul = 3;
		} else {
			u[0] = (uint8_t)(0xF0 | cp >> 18), u[1] = (uint8_t)(0x80 | ((cp >> 12) & 63));
			u[2] = (uint8_t)(0x80 | ((cp >> 6) & 63)), u[3] = (uint8_t)(0x80 | (cp & 63)), ul = 4;
		}
		if (o + (size_t)ul >= cap)
			return -1;
		memcpy(out + o, u, (size_t)ul);
		o += (size_t)ul;
	}
	out[o] = 0;
	*olen = o;
	return 0;
}

/*
 * The top-level string members of a JSON object named in want, in one pass.
 * Returns a bit (1 << i) for each want[i] found as a string (the last one
 * wins when a name repeats), -1 when the object is malformed or a value does
 * not fit.
 */
int json_str_members(const char *s, size_t n, json_want *want, int nwant)
{
	int found = 0;
	size_t i = json_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i = json_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return 0;
	for (;;) {
		if (i >= n || s[i] != '"')
			return -1;
		size_t k0 = i + 1, k1 = json_skip_str(s, n, i);
		if (k1 > n)
			return -1;
		int match = -1;
		for (int w = 0; w < nwant && match < 0; w++)
			if (strlen(want[w].name) == k1 - 1 - k0 && !memcmp(s + k0, want[w].name, k1 - 1 - k0))
				match = w;
		i = json_ws(s, n, k1);
		if (i >= n || s[i] != ':')
			return -1;
		i = json_ws(s, n, i + 1);
		if (match >= 0 && i < n && s[i] == '"') {
			size_t e = json_skip_str(s, n, i);
			if (e > n || json_unescape(s + i + 1, e - i - 2, want[match].out, want[match].cap, &want[match].len))
				return -1;
			found |= 1 << match;
			i = e;
		} else {
			found &= ~(match >= 0 ? 1 << match : 0);
			i = json_skip_value(s, n, i);
			if (i > n)
				return -1;
		}
		i = json_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = json_ws(s, n, i + 1);
			continue;
		}
		return i < n && s[i] == '}' ? found : -1;
	}
}

/* one top-level string member: 1 found, 0 absent or not a string, -1 malformed or too long */
int json_str_member(const char *s, size_t n, const char *name, char *out, size_t cap, size_t *olen)
{
	json_want w = {name, out, cap, 0};
	int r = json_str_members(s, n, &w, 1);
	*olen = w.len;
	return r < 0 ? -1 : r;
}
