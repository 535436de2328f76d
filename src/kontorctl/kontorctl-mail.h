/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-mail.h: the mail commands of kontorctl, a client of io.github.kontor.Mail1. */
#pragma once

#include "kontorctl.h"

G_BEGIN_DECLS

extern const KontorctlCommand kontorctl_mail_commands[];

gboolean kontorctl_mail_print_help (int argc, char **argv);

G_END_DECLS
