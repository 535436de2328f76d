/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-core.h: the one header plugins and the shell include from the core. */
#pragma once

#include "kontor-account.h"
#include "kontor-account-service.h"
#include "kontor-account-settings.h"
#include "kontor-accounts-impl.h"
#include "kontor-context.h"
#include "kontor-error.h"
#include "kontor-lazy-interface.h"
#include "kontor-library.h"
#include "kontor-plugin.h"
#include "kontor-plugin-info.h"
#include "kontor-plugin-manager.h"
#include "kontor-search-result.h"
