/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-private.h: building account snapshots (the account service only). */
#pragma once

#include "kontor-account-sources.h"
#include "kontor-account.h"

G_BEGIN_DECLS

KontorAccount *kontor_account_new_from_sources (const KontorAccountSources *sources);

G_END_DECLS
