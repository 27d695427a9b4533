#include <libxml/xmlwriter.h>
#include <libxml/encoding.h>
